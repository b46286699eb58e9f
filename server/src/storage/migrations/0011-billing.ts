/**
 * Plans and payments of Webcam services: one subscription per service (its plan and where it
 * stands: trialing, active, past due, paused) with an audit log; invoices paid through the
 * provider's checkout; and the ledger — the `payments` table of the names, which now also holds
 * invoice charges and refunds. A provider's webhook events are kept by ID, so a delivery that
 * comes twice changes nothing the second time.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class Billing1764547200000 implements MigrationInterface {
  name = "Billing1764547200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE subscriptions (
        service_id text PRIMARY KEY REFERENCES services(service_id),
        plan text NOT NULL,
        state text NOT NULL CHECK (state IN ('trialing', 'active', 'past_due', 'paused')),
        trial_end timestamptz,
        period_end timestamptz,
        pause_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE subscription_events (
        id bigserial PRIMARY KEY,
        service_id text NOT NULL REFERENCES services(service_id),
        from_state text,
        to_state text NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX subscription_events_service ON subscription_events (service_id, id)`);
    await q.query(`
      CREATE TABLE invoices (
        invoice_id text PRIMARY KEY,
        service_id text NOT NULL REFERENCES services(service_id),
        plan text NOT NULL,
        amount_cents integer NOT NULL,
        currency text NOT NULL,
        state text NOT NULL CHECK (state IN ('open', 'paid', 'refunded', 'void')),
        checkout_ref text UNIQUE,
        checkout_url text,
        charge_ref text,
        created_by text NOT NULL REFERENCES accounts(user_id),
        created_at timestamptz NOT NULL DEFAULT now(),
        paid_at timestamptz,
        refunded_at timestamptz,
        period_end timestamptz
      )`);
    await q.query(`CREATE INDEX invoices_service ON invoices (service_id, created_at)`);
    await q.query(
      `ALTER TABLE payments ADD COLUMN kind text NOT NULL DEFAULT 'charge' CHECK (kind IN ('charge', 'refund'))`,
    );
    await q.query(`ALTER TABLE payments ADD COLUMN customer_id text REFERENCES customers(customer_id)`);
    await q.query(
      `CREATE INDEX payments_customer ON payments (customer_id, created_at) WHERE customer_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE webhook_events (
        provider text NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_events`);
    await q.query(`ALTER TABLE payments DROP COLUMN customer_id`);
    await q.query(`ALTER TABLE payments DROP COLUMN kind`);
    for (const t of ["invoices", "subscription_events", "subscriptions"]) await q.query(`DROP TABLE ${t}`);
  }
}
