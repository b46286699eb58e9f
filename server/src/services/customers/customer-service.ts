/**
 * Customers and their management teams. The account that creates a customer is its owner;
 * the owner adds and removes managers (by any handle of their account); owner and managers see
 * the customer, and will run its services and pay for them. The owner cannot be removed.
 */
import { randomBytes } from "node:crypto";
import {
  CustomerRole,
  type CustomerRoleValue,
  type CustomerView,
} from "../../../../protocol/callsign/customers.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Database } from "../../storage/database.js";
import type { HandleResolver } from "../calls/handles.js";
import type { Requester } from "../requester.js";

export class CustomerService {
  constructor(
    private readonly db: Database,
    private readonly handles: HandleResolver,
  ) {}

  async create(r: Requester, name: string, kind: "company" | "community"): Promise<CustomerView> {
    if (r.isGuest) throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guests cannot create customers");
    const customerId = `c_${randomBytes(9).toString("base64url")}`;
    await this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO customers (customer_id, name, kind) VALUES ($1, $2, $3)`, [
        customerId,
        name,
        kind,
      ]);
      await tx.query(`INSERT INTO customer_members (customer_id, user_id, role) VALUES ($1, $2, 'owner')`, [
        customerId,
        r.userId,
      ]);
    });
    return this.view(r, customerId);
  }

  /** The requester's role in the customer; 404 when they have none (customers are private). */
  async roleOf(r: Requester, customerId: string): Promise<CustomerRoleValue> {
    const [row] = await this.db.query(
      `SELECT role FROM customer_members WHERE customer_id = $1 AND user_id = $2`,
      [customerId, r.userId],
    );
    if (!row) throw new ProtocolError("M_NOT_FOUND", "No such customer");
    return row.role as CustomerRoleValue;
  }

  /** The customer's name (shown to the other side of a service transfer). */
  async nameOf(customerId: string): Promise<string> {
    const [c] = await this.db.query(`SELECT name FROM customers WHERE customer_id = $1`, [customerId]);
    return c.name as string;
  }

  /** Whether `userId` is on the customer's management team. */
  async isMember(userId: string, customerId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM customer_members WHERE customer_id = $1 AND user_id = $2`,
      [customerId, userId],
    );
    return rows.length > 0;
  }

  async view(r: Requester, customerId: string): Promise<CustomerView> {
    await this.roleOf(r, customerId);
    const [c] = await this.db.query(
      `SELECT customer_id, name, kind, created_at FROM customers WHERE customer_id = $1`,
      [customerId],
    );
    const team = await this.db.query(
      `SELECT m.user_id, a.display_name, m.role FROM customer_members m JOIN accounts a ON a.user_id = m.user_id
       WHERE m.customer_id = $1 ORDER BY m.role DESC, m.added_at`,
      [customerId],
    );
    return {
      customer_id: c.customer_id,
      name: c.name,
      kind: c.kind,
      team: team.map((t: { user_id: string; display_name: string | null; role: CustomerRoleValue }) => ({
        user_id: t.user_id,
        display_name: t.display_name,
        role: t.role,
      })),
      created_at: new Date(c.created_at).getTime(),
    };
  }

  async mine(r: Requester): Promise<CustomerView[]> {
    const rows = await this.db.query(
      `SELECT customer_id FROM customer_members WHERE user_id = $1 ORDER BY added_at`,
      [r.userId],
    );
    return Promise.all(rows.map((row: { customer_id: string }) => this.view(r, row.customer_id)));
  }

  async addManager(r: Requester, customerId: string, handle: string): Promise<CustomerView> {
    if ((await this.roleOf(r, customerId)) !== CustomerRole.Owner) {
      throw new ProtocolError("M_FORBIDDEN", "Only the owner changes the management team");
    }
    const account = await this.handles.resolve(handle);
    if (!account || account.kind !== "user") {
      throw new ProtocolError("IO_CALLSIGN_UNKNOWN_HANDLE", `No account answers to ${handle}`);
    }
    await this.db.query(
      `INSERT INTO customer_members (customer_id, user_id, role) VALUES ($1, $2, 'manager') ON CONFLICT DO NOTHING`,
      [customerId, account.userId],
    );
    return this.view(r, customerId);
  }

  /** The owner removes a manager, or a manager leaves. */
  async removeMember(r: Requester, customerId: string, userId: string): Promise<void> {
    const role = await this.roleOf(r, customerId);
    if (role !== CustomerRole.Owner && userId !== r.userId) {
      throw new ProtocolError("M_FORBIDDEN", "Only the owner removes other members");
    }
    const rows = await this.db.query(
      `DELETE FROM customer_members WHERE customer_id = $1 AND user_id = $2 AND role = 'manager' RETURNING 1`,
      [customerId, userId],
    );
    if (rows.length === 0) {
      throw new ProtocolError("M_FORBIDDEN", "The owner stays; only managers can be removed");
    }
  }
}
