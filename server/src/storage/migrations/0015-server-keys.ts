/**
 * The provider's own federation keys: each an Ed25519 key (encrypted with the server secret)
 * and its certificate. One is current; a rotated-out key is still published until `retire_at`,
 * so peers that cached it keep verifying during the overlap.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class ServerKeys1764892800000 implements MigrationInterface {
  name = "ServerKeys1764892800000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE server_keys (
        fingerprint text PRIMARY KEY,
        server_name text NOT NULL,
        certificate_pem text NOT NULL,
        private_key_enc text NOT NULL,
        not_after timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retire_at timestamptz
      )`);
    // At most one current key per server name: two processes starting together create one.
    await q.query(
      `CREATE UNIQUE INDEX server_keys_current ON server_keys (server_name) WHERE retire_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE server_keys`);
  }
}
