/**
 * Call media (spec/media.md): the Janus room of an answered call, and each party's feed in it.
 * The room row outlives the process that made it, so another process (or this one after a
 * restart) can join it again or destroy it once the call is over.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class CallMedia1765238400000 implements MigrationInterface {
  name = "CallMedia1765238400000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE media_rooms (
        call_id text PRIMARY KEY REFERENCES calls(call_id) ON DELETE CASCADE,
        instance text NOT NULL,
        room bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE media_feeds (
        call_id text NOT NULL REFERENCES media_rooms(call_id) ON DELETE CASCADE,
        user_id text NOT NULL,
        feed_id bigint NOT NULL,
        video boolean NOT NULL,
        PRIMARY KEY (call_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE media_feeds`);
    await q.query(`DROP TABLE media_rooms`);
  }
}
