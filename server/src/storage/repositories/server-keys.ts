/** The provider's own federation keys and certificates. */
import type { Sql } from "../database.js";

export interface ServerKeyRow {
  fingerprint: string;
  serverName: string;
  certificatePem: string;
  privateKeyEnc: string;
  notAfter: Date;
  createdAt: Date;
  retireAt: Date | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toRow = (r: any): ServerKeyRow => ({
  fingerprint: r.fingerprint,
  serverName: r.server_name,
  certificatePem: r.certificate_pem,
  privateKeyEnc: r.private_key_enc,
  notAfter: r.not_after,
  createdAt: r.created_at,
  retireAt: r.retire_at,
});

export class ServerKeysRepo {
  constructor(private readonly sql: Sql) {}

  async current(serverName: string): Promise<ServerKeyRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT * FROM server_keys WHERE server_name = $1 AND retire_at IS NULL`,
      [serverName],
    );
    return r ? toRow(r) : undefined;
  }

  /** The current key and those still in their overlap at `now`, newest first. */
  async published(serverName: string, now: Date): Promise<ServerKeyRow[]> {
    const rows = await this.sql.query(
      `SELECT * FROM server_keys WHERE server_name = $1 AND (retire_at IS NULL OR retire_at > $2)
       ORDER BY created_at DESC`,
      [serverName, now],
    );
    return rows.map(toRow);
  }

  /** Adds a current key; false when another process added one first. */
  async insertCurrent(k: Omit<ServerKeyRow, "createdAt" | "retireAt">): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO server_keys (fingerprint, server_name, certificate_pem, private_key_enc, not_after)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1`,
      [k.fingerprint, k.serverName, k.certificatePem, k.privateKeyEnc, k.notAfter],
    );
    return rows.length === 1;
  }

  async retire(fingerprint: string, at: Date): Promise<void> {
    await this.sql.query(
      `UPDATE server_keys SET retire_at = $2 WHERE fingerprint = $1 AND retire_at IS NULL`,
      [fingerprint, at],
    );
  }
}
