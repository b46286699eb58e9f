/**
 * SIP trunks (spec/services.md "Bridging to your PBX"): one per service, the password sealed
 * under the server secret (server/src/crypto/sealer.ts); and where a call stands on the PBX.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class SipTrunks1765324800000 implements MigrationInterface {
  name = "SipTrunks1765324800000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sip_trunks (
        service_id text PRIMARY KEY REFERENCES services(service_id) ON DELETE CASCADE,
        uri text NOT NULL,
        proxy text,
        username text,
        password_sealed text,
        mode text NOT NULL CHECK (mode IN ('instead', 'after')),
        after_s int,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Where a call to a service with a trunk stands on the PBX side (null: not sent there).
    await q.query(`ALTER TABLE calls ADD COLUMN pbx text CHECK (pbx IN ('waiting', 'ringing', 'answered'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calls DROP COLUMN pbx`);
    await q.query(`DROP TABLE sip_trunks`);
  }
}
