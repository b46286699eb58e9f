/** Transactions received from peer providers, kept a while so that a retried one is not applied twice. */
import type { Sql } from "../database.js";

export class FederationReceivedRepo {
  constructor(private readonly sql: Sql) {}

  /**
   * Records the transaction; false when it was recorded before (a duplicate). A second
   * transaction recording the same ID waits for the first to commit or roll back.
   */
  async first(origin: string, txnId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO federation_received_txns (origin, txn_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [origin, txnId],
    );
    return rows.length === 1;
  }
}
