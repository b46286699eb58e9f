/**
 * Stream positions without a lock held to the commit (storage/stream-positions.ts): a counter
 * and the blocks of positions registered by transactions still in flight, both unlogged (no
 * WAL flush for either; a crash empties them and the counter is seeded again). `stream_head`
 * is no longer moved; it stays as the floor the counter was first seeded from.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";
import { seedCounter } from "../stream-positions.js";

export class StreamPositions1765497600000 implements MigrationInterface {
  name = "StreamPositions1765497600000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNLOGGED TABLE stream_counter (id smallint PRIMARY KEY CHECK (id = 1), pos bigint NOT NULL)`,
    );
    await q.query(`
      CREATE UNLOGGED TABLE stream_inflight (
        first bigint PRIMARY KEY,
        last bigint NOT NULL,
        pid int,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await seedCounter(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE stream_head SET pos = GREATEST(pos, (SELECT pos FROM stream_counter WHERE id = 1)) WHERE id = 1`,
    );
    await q.query(`DROP TABLE stream_inflight`);
    await q.query(`DROP TABLE stream_counter`);
  }
}
