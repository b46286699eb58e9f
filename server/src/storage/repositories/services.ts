/** Webcam services, their operators, their domain addresses, and the hops of transferred calls. */
import type { DistributionModeValue } from "../../../../protocol/callsign/billing.js";
import type { OperatingHours } from "../../../../protocol/callsign/services.js";
import type { Sql } from "../database.js";

export interface ServiceRow {
  serviceId: string;
  customerId: string;
  accountId: string;
  description: string;
  /** Null: always open (while operators are online). */
  hours: OperatingHours | null;
  mode: DistributionModeValue;
  offerTimeoutS: number;
  createdAt: Date;
}

export interface OperatorRow {
  serviceId: string;
  email: string;
  userId: string | null;
  displayName: string | null;
  online: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const toService = (r: any): ServiceRow => ({
  serviceId: r.service_id,
  customerId: r.customer_id,
  accountId: r.account_id,
  description: r.description,
  hours: r.hours ?? null,
  mode: r.mode,
  offerTimeoutS: r.offer_timeout_s,
  createdAt: r.created_at,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toOperator = (r: any): OperatorRow => ({
  serviceId: r.service_id,
  email: r.email,
  userId: r.user_id,
  displayName: r.display_name ?? null,
  online: r.online,
});

const SELECT_OPERATOR = `SELECT o.service_id, o.email, o.user_id, o.online, a.display_name
  FROM service_operators o LEFT JOIN accounts a ON a.user_id = o.user_id`;

export class ServicesRepo {
  constructor(private readonly sql: Sql) {}

  async insert(
    s: Omit<ServiceRow, "createdAt" | "hours" | "mode" | "offerTimeoutS">,
    createdBy: string,
  ): Promise<void> {
    await this.sql.query(
      `INSERT INTO services (service_id, customer_id, account_id, description, created_by) VALUES ($1, $2, $3, $4, $5)`,
      [s.serviceId, s.customerId, s.accountId, s.description, createdBy],
    );
  }

  async get(serviceId: string): Promise<ServiceRow | undefined> {
    const [r] = await this.sql.query(`SELECT * FROM services WHERE service_id = $1`, [serviceId]);
    return r ? toService(r) : undefined;
  }

  /** The service whose account `accountId` is; undefined for people. */
  async byAccount(accountId: string): Promise<ServiceRow | undefined> {
    const [r] = await this.sql.query(`SELECT * FROM services WHERE account_id = $1`, [accountId]);
    return r ? toService(r) : undefined;
  }

  async ofCustomer(customerId: string): Promise<ServiceRow[]> {
    const rows = await this.sql.query(
      `SELECT * FROM services WHERE customer_id = $1 ORDER BY created_at, service_id`,
      [customerId],
    );
    return rows.map(toService);
  }

  async setDescription(serviceId: string, description: string): Promise<void> {
    await this.sql.query(`UPDATE services SET description = $2 WHERE service_id = $1`, [
      serviceId,
      description,
    ]);
  }

  /** The services `userId` is switched online for, with their accounts and modes. */
  async onlineServicesOf(userId: string): Promise<{ accountId: string; mode: DistributionModeValue }[]> {
    const rows = await this.sql.query(
      `SELECT s.account_id, s.mode FROM service_operators o JOIN services s ON s.service_id = o.service_id
       WHERE o.user_id = $1 AND o.online`,
      [userId],
    );
    return rows.map((r: { account_id: string; mode: DistributionModeValue }) => ({
      accountId: r.account_id,
      mode: r.mode,
    }));
  }

  async setHours(serviceId: string, hours: OperatingHours | null): Promise<void> {
    await this.sql.query(`UPDATE services SET hours = $2 WHERE service_id = $1`, [
      serviceId,
      hours === null ? null : JSON.stringify(hours),
    ]);
  }

  /** Adds an operator by e-mail, linked to the account with that e-mail if there is one. */
  async addOperator(serviceId: string, email: string, invitedBy: string): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO service_operators (service_id, email, user_id, invited_by)
       VALUES ($1, $2, (SELECT user_id FROM accounts WHERE email = $2 AND kind = 'user'), $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [serviceId, email, invitedBy],
    );
    return rows.length === 1;
  }

  async removeOperator(serviceId: string, email: string): Promise<OperatorRow | undefined> {
    const [r] = await this.sql.query(
      `DELETE FROM service_operators WHERE service_id = $1 AND email = $2 RETURNING service_id, email, user_id, online`,
      [serviceId, email],
    );
    return r ? toOperator(r) : undefined;
  }

  /** Pending invitations for `email` become the new account's (at registration). */
  async claimInvitations(email: string, userId: string): Promise<number> {
    const rows = await this.sql.query(
      `UPDATE service_operators SET user_id = $2 WHERE email = $1 AND user_id IS NULL RETURNING 1`,
      [email, userId],
    );
    return rows.length;
  }

  async operators(serviceId: string): Promise<OperatorRow[]> {
    const rows = await this.sql.query(
      `${SELECT_OPERATOR} WHERE o.service_id = $1 ORDER BY o.added_at, o.email`,
      [serviceId],
    );
    return rows.map(toOperator);
  }

  async operator(serviceId: string, userId: string): Promise<OperatorRow | undefined> {
    const [r] = await this.sql.query(`${SELECT_OPERATOR} WHERE o.service_id = $1 AND o.user_id = $2`, [
      serviceId,
      userId,
    ]);
    return r ? toOperator(r) : undefined;
  }

  /** The services `userId` operates, oldest first. */
  async operatedBy(userId: string): Promise<(ServiceRow & { online: boolean })[]> {
    const rows = await this.sql.query(
      `SELECT s.*, o.online FROM service_operators o JOIN services s ON s.service_id = o.service_id
       WHERE o.user_id = $1 ORDER BY o.added_at, s.service_id`,
      [userId],
    );
    return rows.map((r: { online: boolean }) => ({ ...toService(r), online: r.online }));
  }

  async setOnline(serviceId: string, userId: string, online: boolean): Promise<void> {
    await this.sql.query(`UPDATE service_operators SET online = $3 WHERE service_id = $1 AND user_id = $2`, [
      serviceId,
      userId,
      online,
    ]);
  }

  /**
   * Operators switched online for the service whose account is `accountId` and whose client was
   * active since `activeSince` (presence), in the order they went online.
   */
  async onlineOperators(accountId: string, activeSince: Date): Promise<string[]> {
    const rows = await this.sql.query(
      `SELECT o.user_id FROM services s
       JOIN service_operators o ON o.service_id = s.service_id AND o.online AND o.user_id IS NOT NULL
       JOIN presence p ON p.user_id = o.user_id AND p.state <> 'offline' AND p.last_active_at >= $2
       WHERE s.account_id = $1 ORDER BY o.added_at`,
      [accountId, activeSince],
    );
    return rows.map((r: { user_id: string }) => r.user_id);
  }

  /** Whether `userId` operates the service with account `accountId` or is on its customer's team. */
  async worksFor(accountId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `SELECT 1 FROM services s WHERE s.account_id = $1 AND (
         EXISTS (SELECT 1 FROM service_operators o WHERE o.service_id = s.service_id AND o.user_id = $2)
         OR EXISTS (SELECT 1 FROM customer_members m WHERE m.customer_id = s.customer_id AND m.user_id = $2))`,
      [accountId, userId],
    );
    return rows.length > 0;
  }

  /**
   * Who hears by e-mail of the news in a service's inbox: its active operators, or the
   * customer's owner when it has none.
   */
  async inboxRecipients(accountId: string): Promise<string[]> {
    const rows = await this.sql.query(
      `SELECT a.email FROM services s JOIN service_operators o ON o.service_id = s.service_id
         JOIN accounts a ON a.user_id = o.user_id
       WHERE s.account_id = $1 AND a.email IS NOT NULL
       UNION
       SELECT a.email FROM services s JOIN customer_members m ON m.customer_id = s.customer_id AND m.role = 'owner'
         JOIN accounts a ON a.user_id = m.user_id
       WHERE s.account_id = $1 AND a.email IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM service_operators o WHERE o.service_id = s.service_id AND o.user_id IS NOT NULL)`,
      [accountId],
    );
    return rows.map((r: { email: string }) => r.email).sort();
  }

  /** Whether `userId` operates any service of the customer. */
  async operatesFor(customerId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `SELECT 1 FROM service_operators o JOIN services s ON s.service_id = o.service_id
       WHERE s.customer_id = $1 AND o.user_id = $2 LIMIT 1`,
      [customerId, userId],
    );
    return rows.length > 0;
  }
}
