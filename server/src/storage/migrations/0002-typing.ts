/** Typing notifications: one row per (room, user), a stream item like receipts. */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class Typing1763769600000 implements MigrationInterface {
  name = "Typing1763769600000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE typing (
        room_id text NOT NULL REFERENCES rooms(room_id),
        user_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        stream_pos bigint NOT NULL,
        PRIMARY KEY (room_id, user_id)
      )`);
    await q.query(`CREATE INDEX typing_pos ON typing (room_id, stream_pos)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE typing`);
  }
}
