/** Offers to transfer a service to another customer, and what became of them. */
import type { ServiceTransferStateValue } from "../../../../protocol/callsign/services.js";
import type { Sql } from "../database.js";

export interface ServiceTransferRow {
  offerId: string;
  serviceId: string;
  fromCustomer: string;
  toUser: string;
  toCustomer: string | null;
  state: ServiceTransferStateValue;
  note: string | null;
  offeredBy: string;
  offeredAt: Date;
  expiresAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toRow = (r: any): ServiceTransferRow => ({
  offerId: r.offer_id,
  serviceId: r.service_id,
  fromCustomer: r.from_customer,
  toUser: r.to_user,
  toCustomer: r.to_customer,
  state: r.state,
  note: r.note,
  offeredBy: r.offered_by,
  offeredAt: r.offered_at,
  expiresAt: r.expires_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

export class ServiceTransfersRepo {
  constructor(private readonly sql: Sql) {}

  async insert(
    t: Pick<
      ServiceTransferRow,
      "offerId" | "serviceId" | "fromCustomer" | "toUser" | "note" | "offeredBy" | "expiresAt"
    >,
  ) {
    await this.sql.query(
      `INSERT INTO service_transfers (offer_id, service_id, from_customer, to_user, state, note, offered_by, expires_at)
       VALUES ($1, $2, $3, $4, 'offered', $5, $6, $7)`,
      [t.offerId, t.serviceId, t.fromCustomer, t.toUser, t.note, t.offeredBy, t.expiresAt],
    );
  }

  async get(offerId: string, forUpdate = false): Promise<ServiceTransferRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT * FROM service_transfers WHERE offer_id = $1${forUpdate ? " FOR UPDATE" : ""}`,
      [offerId],
    );
    return r ? toRow(r) : undefined;
  }

  /** Offers to `userId`, and offers of services of customers `userId` is on the team of. */
  async involving(userId: string): Promise<ServiceTransferRow[]> {
    const rows = await this.sql.query(
      `SELECT * FROM service_transfers t WHERE t.to_user = $1
         OR EXISTS (SELECT 1 FROM customer_members m WHERE m.customer_id = t.from_customer AND m.user_id = $1)
       ORDER BY offered_at DESC LIMIT 200`,
      [userId],
    );
    return rows.map(toRow);
  }

  async decide(
    offerId: string,
    state: ServiceTransferStateValue,
    by: string,
    toCustomer: string | null = null,
  ): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE service_transfers SET state = $2, decided_by = $3, decided_at = now(), to_customer = $4
       WHERE offer_id = $1 AND state = 'offered' RETURNING 1`,
      [offerId, state, by, toCustomer],
    );
    return rows.length === 1;
  }

  /**
   * Moves the service to its new customer: what belonged to the old one goes — its operators,
   * its widgets, addresses of its domains, routing rules between it and the old services, and its
   * SIP trunk.
   */
  async moveService(serviceId: string, toCustomer: string): Promise<void> {
    await this.sql.query(`UPDATE services SET customer_id = $2 WHERE service_id = $1`, [
      serviceId,
      toCustomer,
    ]);
    for (const sql of [
      `DELETE FROM service_operators WHERE service_id = $1`,
      `DELETE FROM widgets WHERE service_id = $1`,
      `DELETE FROM service_addresses WHERE service_id = $1`,
      `DELETE FROM service_routes WHERE service_id = $1 OR target_id = $1`,
      // The old customer's PBX is not the new one's.
      `DELETE FROM sip_trunks WHERE service_id = $1`,
    ]) {
      await this.sql.query(sql, [serviceId]);
    }
  }
}
