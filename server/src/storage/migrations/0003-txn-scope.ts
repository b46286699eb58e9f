/**
 * A client transaction ID identifies one request path: the same ID sent to another room or as
 * another event type is another event, never an echo of the first.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class TxnScope1763856000000 implements MigrationInterface {
  name = "TxnScope1763856000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_txn`);
    await q.query(
      `CREATE UNIQUE INDEX events_txn ON events (sender, txn_device_id, room_id, type, txn_id) WHERE txn_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_txn`);
    await q.query(
      `CREATE UNIQUE INDEX events_txn ON events (sender, txn_device_id, txn_id) WHERE txn_id IS NOT NULL`,
    );
  }
}
