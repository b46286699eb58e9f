/** Items queued for peer providers, in the order they were committed per destination. */
import type { Sql } from "../database.js";

export interface OutboxItem {
  seq: number;
  kind: string;
  payload: Record<string, unknown>;
}

export class FederationOutboxRepo {
  constructor(private readonly sql: Sql) {}

  async insert(destination: string, kind: string, payload: Record<string, unknown>): Promise<void> {
    await this.sql.query(`INSERT INTO federation_outbox (destination, kind, payload) VALUES ($1, $2, $3)`, [
      destination,
      kind,
      JSON.stringify(payload),
    ]);
  }

  /** The transaction already composed for `destination` and not yet delivered: its ID and rows. */
  async pending(destination: string): Promise<{ txnId: string; items: OutboxItem[] } | undefined> {
    const rows = await this.sql.query(
      `SELECT seq, kind, payload, txn_id FROM federation_outbox
       WHERE destination = $1 AND txn_id = (
         SELECT txn_id FROM federation_outbox
         WHERE destination = $1 AND txn_id IS NOT NULL ORDER BY seq LIMIT 1)
       ORDER BY seq`,
      [destination],
    );
    if (!rows.length) return undefined;
    return { txnId: rows[0].txn_id, items: rows.map(toItem) };
  }

  /**
   * Puts the oldest unsent items in transaction `txnId`: at most `maxItems`, and no more than
   * fit in `maxBytes` (at least one). Answers how many.
   */
  async compose(destination: string, txnId: string, maxItems: number, maxBytes: number): Promise<number> {
    // jsonb's text is a little longer than the JSON sent: the estimate errs on the safe side.
    const candidates = await this.sql.query<{ seq: string; bytes: number }>(
      `SELECT seq, octet_length(payload::text) + octet_length(kind) + 32 AS bytes FROM federation_outbox
       WHERE destination = $1 AND txn_id IS NULL ORDER BY seq LIMIT $2`,
      [destination, maxItems],
    );
    const chosen: string[] = [];
    let total = 16;
    for (const c of candidates) {
      if (chosen.length && total + Number(c.bytes) > maxBytes) break;
      total += Number(c.bytes);
      chosen.push(c.seq);
    }
    if (!chosen.length) return 0;
    const stamped = await this.sql.query(
      `UPDATE federation_outbox SET txn_id = $2
       WHERE destination = $1 AND seq = ANY($3::bigint[]) AND txn_id IS NULL RETURNING 1`,
      [destination, txnId, chosen],
    );
    return stamped.length;
  }

  /** Removes a transaction's items: delivered, or refused for good. */
  async remove(destination: string, txnId: string): Promise<number> {
    const rows = await this.sql.query(
      `DELETE FROM federation_outbox WHERE destination = $1 AND txn_id = $2 RETURNING 1`,
      [destination, txnId],
    );
    return rows.length;
  }

  async any(destination: string): Promise<boolean> {
    const rows = await this.sql.query(`SELECT 1 FROM federation_outbox WHERE destination = $1 LIMIT 1`, [
      destination,
    ]);
    return rows.length > 0;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toItem = (r: any): OutboxItem => ({ seq: Number(r.seq), kind: r.kind, payload: r.payload });
