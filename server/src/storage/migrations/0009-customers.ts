/** Customers (companies, communities) and their management teams. */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class Customers1764374400000 implements MigrationInterface {
  name = "Customers1764374400000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customers (
        customer_id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('company', 'community')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE customer_members (
        customer_id text NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,
        user_id text NOT NULL REFERENCES accounts(user_id),
        role text NOT NULL CHECK (role IN ('owner', 'manager')),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, user_id)
      )`);
    await q.query(`CREATE INDEX customer_members_user ON customer_members (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE customer_members`);
    await q.query(`DROP TABLE customers`);
  }
}
