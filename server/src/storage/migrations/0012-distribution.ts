/**
 * How a service hands out its calls: `shared` (every online operator sees the queue) or `auto`
 * (a call is offered to one free operator at a time — the one offered least recently — and
 * moves on after `offer_timeout_s`); and routing rules that send a call whose topic has one of
 * the keywords to another service of the customer.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class Distribution1764633600000 implements MigrationInterface {
  name = "Distribution1764633600000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE services ADD COLUMN mode text NOT NULL DEFAULT 'shared' CHECK (mode IN ('shared', 'auto'))`,
    );
    await q.query(`ALTER TABLE services ADD COLUMN offer_timeout_s integer NOT NULL DEFAULT 20`);
    await q.query(`ALTER TABLE service_operators ADD COLUMN last_offered_at timestamptz`);
    await q.query(`ALTER TABLE calls ADD COLUMN offered_to text REFERENCES accounts(user_id)`);
    await q.query(`ALTER TABLE calls ADD COLUMN offer_seq integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE service_routes (
        service_id text NOT NULL REFERENCES services(service_id) ON DELETE CASCADE,
        position integer NOT NULL,
        keywords text[] NOT NULL,
        target_id text NOT NULL REFERENCES services(service_id) ON DELETE CASCADE,
        PRIMARY KEY (service_id, position)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE service_routes`);
    await q.query(`ALTER TABLE calls DROP COLUMN offer_seq`);
    await q.query(`ALTER TABLE calls DROP COLUMN offered_to`);
    await q.query(`ALTER TABLE service_operators DROP COLUMN last_offered_at`);
    await q.query(`ALTER TABLE services DROP COLUMN offer_timeout_s`);
    await q.query(`ALTER TABLE services DROP COLUMN mode`);
  }
}
