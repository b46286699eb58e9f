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

export interface HopRow {
  callId: string;
  hop: number;
  fromId: string;
  toId: string;
  byId: string;
  note: string | null;
  at: Date;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toService = (r: any): ServiceRow => ({
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

  async setDistribution(
    serviceId: string,
    mode: DistributionModeValue,
    offerTimeoutS: number,
  ): Promise<void> {
    await this.sql.query(`UPDATE services SET mode = $2, offer_timeout_s = $3 WHERE service_id = $1`, [
      serviceId,
      mode,
      offerTimeoutS,
    ]);
  }

  /** Routing rules in order: a topic with one of `keywords` goes to `targetId`. */
  async routes(serviceId: string): Promise<{ keywords: string[]; targetId: string }[]> {
    const rows = await this.sql.query(
      `SELECT keywords, target_id FROM service_routes WHERE service_id = $1 ORDER BY position`,
      [serviceId],
    );
    return rows.map((r: { keywords: string[]; target_id: string }) => ({
      keywords: r.keywords,
      targetId: r.target_id,
    }));
  }

  async setRoutes(serviceId: string, routes: { keywords: string[]; targetId: string }[]): Promise<void> {
    await this.sql.query(`DELETE FROM service_routes WHERE service_id = $1`, [serviceId]);
    for (const [i, r] of routes.entries()) {
      await this.sql.query(
        `INSERT INTO service_routes (service_id, position, keywords, target_id) VALUES ($1, $2, $3, $4)`,
        [serviceId, i, r.keywords, r.targetId],
      );
    }
  }

  /**
   * Automatic distribution: the service's online operators who are free — not talking in one of
   * its calls and without a pending offer — the one offered least recently first.
   */
  async freeOperators(accountId: string, activeSince: Date): Promise<string[]> {
    const rows = await this.sql.query(
      `SELECT o.user_id FROM services s
       JOIN service_operators o ON o.service_id = s.service_id AND o.online AND o.user_id IS NOT NULL
       JOIN presence p ON p.user_id = o.user_id AND p.state <> 'offline' AND p.last_active_at >= $2
       WHERE s.account_id = $1
         AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.operator_id = o.user_id AND c.state = 'answered')
         AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.offered_to = o.user_id AND c.state = 'queued')
       ORDER BY o.last_offered_at NULLS FIRST, o.added_at`,
      [accountId, activeSince],
    );
    return rows.map((r: { user_id: string }) => r.user_id);
  }

  async markOffered(serviceId: string, userId: string): Promise<void> {
    await this.sql.query(
      `UPDATE service_operators SET last_offered_at = clock_timestamp() WHERE service_id = $1 AND user_id = $2`,
      [serviceId, userId],
    );
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

  async addresses(serviceId: string): Promise<string[]> {
    const rows = await this.sql.query(
      `SELECT domain, local FROM service_addresses WHERE service_id = $1 ORDER BY domain, local`,
      [serviceId],
    );
    return rows.map((r: { domain: string; local: string }) =>
      r.local ? `${r.local}@${r.domain}` : r.domain,
    );
  }

  /**
   * The service an address of a domain names (local '' for the bare domain), if the domain's
   * current holder is on that service's management team (a new holder's domain does not keep
   * reaching the old holder's services).
   */
  async atAddress(domain: string, local: string, holderId: string): Promise<ServiceRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT s.* FROM service_addresses a JOIN services s ON s.service_id = a.service_id
       JOIN customer_members m ON m.customer_id = s.customer_id AND m.user_id = $3
       WHERE a.domain = $1 AND a.local = $2`,
      [domain, local, holderId],
    );
    return r ? toService(r) : undefined;
  }

  async setAddress(domain: string, local: string, serviceId: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO service_addresses (domain, local, service_id) VALUES ($1, $2, $3)
       ON CONFLICT (domain, local) DO UPDATE SET service_id = EXCLUDED.service_id`,
      [domain, local, serviceId],
    );
  }

  async removeAddress(domain: string, local: string, serviceId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `DELETE FROM service_addresses WHERE domain = $1 AND local = $2 AND service_id = $3 RETURNING 1`,
      [domain, local, serviceId],
    );
    return rows.length === 1;
  }

  /** The customer of the last service a call left (for a call transferred to an operator). */
  async customerOfHops(callId: string): Promise<string | undefined> {
    const [r] = await this.sql.query(
      `SELECT s.customer_id FROM call_hops h JOIN services s ON s.account_id = h.from_id
       WHERE h.call_id = $1 ORDER BY h.hop DESC LIMIT 1`,
      [callId],
    );
    return r?.customer_id;
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

  async addHop(h: Omit<HopRow, "at">): Promise<void> {
    await this.sql.query(
      `INSERT INTO call_hops (call_id, hop, from_id, to_id, by_id, note) VALUES ($1, $2, $3, $4, $5, $6)`,
      [h.callId, h.hop, h.fromId, h.toId, h.byId, h.note],
    );
  }

  async hops(callId: string): Promise<HopRow[]> {
    const rows = await this.sql.query(`SELECT * FROM call_hops WHERE call_id = $1 ORDER BY hop`, [callId]);
    return rows.map(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (r: any): HopRow => ({
        callId: r.call_id,
        hop: r.hop,
        fromId: r.from_id,
        toId: r.to_id,
        byId: r.by_id,
        note: r.note,
        at: r.at,
      }),
    );
  }
}
