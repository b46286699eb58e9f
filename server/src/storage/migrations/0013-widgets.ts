/**
 * Site widgets: a customer's shortcut to one of its services, pasted into the pages of the sites
 * listed in `origins` (only those may show it or frame its call page).
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class Widgets1764720000000 implements MigrationInterface {
  name = "Widgets1764720000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE widgets (
        widget_id text PRIMARY KEY,
        customer_id text NOT NULL REFERENCES customers(customer_id),
        service_id text NOT NULL REFERENCES services(service_id) ON DELETE CASCADE,
        side text NOT NULL CHECK (side IN ('left', 'right')),
        color_online text NOT NULL,
        color_offline text NOT NULL,
        text text NOT NULL,
        origins text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX widgets_customer ON widgets (customer_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE widgets`);
  }
}
