/** Nonces of signed federation requests (replay protection). */
import type { Sql } from "../database.js";

export class FederationNoncesRepo {
  constructor(private readonly sql: Sql) {}

  /** Records the nonce; false when it was recorded before (a replay). */
  async first(keyId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO federation_nonces (key_id, nonce, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [keyId, nonce, expiresAt],
    );
    return rows.length === 1;
  }
}
