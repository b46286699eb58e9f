/** SIP trunks of services (migration 0020); the password stays sealed here. */
import type { TrunkModeValue } from "../../../../protocol/callsign/sip.js";
import type { Sql } from "../database.js";

export interface SipTrunkRow {
  serviceId: string;
  uri: string;
  proxy: string | null;
  username: string | null;
  passwordSealed: string | null;
  mode: TrunkModeValue;
  afterS: number | null;
  acceptCalls: boolean;
  updatedAt: Date;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toRow = (r: any): SipTrunkRow => ({
  serviceId: r.service_id,
  uri: r.uri,
  proxy: r.proxy,
  username: r.username,
  passwordSealed: r.password_sealed,
  mode: r.mode,
  afterS: r.after_s,
  acceptCalls: r.accept_calls,
  updatedAt: r.updated_at,
});

export class SipTrunksRepo {
  constructor(private readonly sql: Sql) {}

  async get(serviceId: string): Promise<SipTrunkRow | undefined> {
    const [r] = await this.sql.query(`SELECT * FROM sip_trunks WHERE service_id = $1`, [serviceId]);
    return r ? toRow(r) : undefined;
  }

  async put(t: Omit<SipTrunkRow, "updatedAt">): Promise<SipTrunkRow> {
    const [r] = await this.sql.query(
      `INSERT INTO sip_trunks (service_id, uri, proxy, username, password_sealed, mode, after_s, accept_calls)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (service_id) DO UPDATE SET uri = EXCLUDED.uri, proxy = EXCLUDED.proxy,
         username = EXCLUDED.username, password_sealed = EXCLUDED.password_sealed,
         mode = EXCLUDED.mode, after_s = EXCLUDED.after_s, accept_calls = EXCLUDED.accept_calls,
         updated_at = now()
       RETURNING *`,
      [t.serviceId, t.uri, t.proxy, t.username, t.passwordSealed, t.mode, t.afterS, t.acceptCalls],
    );
    return toRow(r);
  }

  /** The trunks that register at their PBX to take its calls. */
  async accepting(): Promise<SipTrunkRow[]> {
    return (await this.sql.query(`SELECT * FROM sip_trunks WHERE accept_calls ORDER BY service_id`)).map(
      toRow,
    );
  }

  /** Removes the trunk; false when there was none. */
  async remove(serviceId: string): Promise<boolean> {
    return (
      (await this.sql.query(`DELETE FROM sip_trunks WHERE service_id = $1 RETURNING 1`, [serviceId])).length >
      0
    );
  }
}
