/**
 * Parties of other providers (spec/federation.md "Calls across providers"): a remote caller,
 * or the remote sender of an SMS, is an account row here too — `provider` names its home
 * provider and `remote_handle` is how it is dialled from here — so calls, rooms and inboxes
 * treat it like any party. Such a row has no number, password or e-mail: nobody logs in as it.
 * `remote_calls` remembers the calls this provider's users placed to another provider, which
 * hosts them.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class RemoteParties1765152000000 implements MigrationInterface {
  name = "RemoteParties1765152000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts ADD COLUMN provider text`);
    await q.query(`ALTER TABLE accounts ADD COLUMN remote_handle text`);
    await q.query(`
      CREATE TABLE remote_calls (
        call_id text PRIMARY KEY,
        room_id text NOT NULL,
        host text NOT NULL,
        user_id text NOT NULL REFERENCES accounts(user_id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX remote_calls_room ON remote_calls (room_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE remote_calls`);
    await q.query(`ALTER TABLE accounts DROP COLUMN remote_handle`);
    await q.query(`ALTER TABLE accounts DROP COLUMN provider`);
  }
}
