/** Rooms a user has forgotten: gone from their syncs and their history reads. */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class ForgottenRooms1764028800000 implements MigrationInterface {
  name = "ForgottenRooms1764028800000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE forgotten_rooms (
        user_id text NOT NULL,
        room_id text NOT NULL REFERENCES rooms(room_id),
        forgotten_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, room_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE forgotten_rooms`);
  }
}
