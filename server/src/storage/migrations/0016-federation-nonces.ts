/** Nonces of signed federation requests, kept through the replay window so a replay is refused. */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class FederationNonces1764979200000 implements MigrationInterface {
  name = "FederationNonces1764979200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE federation_nonces (
        key_id text NOT NULL,
        nonce text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (key_id, nonce)
      )`);
    await q.query(`CREATE INDEX federation_nonces_expiry ON federation_nonces (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE federation_nonces`);
  }
}
