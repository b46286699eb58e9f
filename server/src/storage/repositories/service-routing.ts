/**
 * How a service's calls find their way: its distribution mode and offers (automatic
 * distribution), its routing rules by topic, the addresses of verified domains that reach it,
 * and the hops of transferred or routed calls.
 */
import type { DistributionModeValue } from "../../../../protocol/callsign/billing.js";
import type { Sql } from "../database.js";
import { toService, type ServiceRow } from "./services.js";

export interface HopRow {
  callId: string;
  hop: number;
  fromId: string;
  toId: string;
  byId: string;
  note: string | null;
  at: Date;
}

export class ServiceRoutingRepo {
  constructor(private readonly sql: Sql) {}

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
