/**
 * Webcam services: a service is an account of kind `service` (so it has a number, a user name
 * — its service id, held through the names registry — a display name, a queue and an inbox),
 * owned by one customer. Operators are listed by e-mail: `user_id` is filled when an account
 * with that e-mail exists or registers. A call to a service keeps the operator who answered it
 * and the hops it made through transfers; an SMS may ask for a call back. A service's hours (a
 * weekly schedule in its time zone, with exception dates) decide when it takes calls. Addresses map `local@domain` (or the bare domain,
 * local '') of a verified domain to a service.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class Services1764460800000 implements MigrationInterface {
  name = "Services1764460800000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check`);
    await q.query(
      `ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('user', 'guest', 'service'))`,
    );
    await q.query(`
      CREATE TABLE services (
        service_id text PRIMARY KEY,
        customer_id text NOT NULL REFERENCES customers(customer_id),
        account_id text NOT NULL UNIQUE REFERENCES accounts(user_id),
        description text NOT NULL DEFAULT '',
        hours jsonb,
        created_by text NOT NULL REFERENCES accounts(user_id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX services_customer ON services (customer_id, created_at)`);
    await q.query(`
      CREATE TABLE service_operators (
        service_id text NOT NULL REFERENCES services(service_id) ON DELETE CASCADE,
        email text NOT NULL,
        user_id text REFERENCES accounts(user_id),
        online boolean NOT NULL DEFAULT false,
        invited_by text NOT NULL REFERENCES accounts(user_id),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (service_id, email)
      )`);
    await q.query(`CREATE UNIQUE INDEX service_operators_user ON service_operators (service_id, user_id)`);
    await q.query(
      `CREATE INDEX service_operators_of ON service_operators (user_id) WHERE user_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX service_operators_pending ON service_operators (email) WHERE user_id IS NULL`,
    );
    await q.query(`
      CREATE TABLE service_addresses (
        domain text NOT NULL,
        local text NOT NULL,
        service_id text NOT NULL REFERENCES services(service_id) ON DELETE CASCADE,
        PRIMARY KEY (domain, local)
      )`);
    await q.query(`ALTER TABLE calls ADD COLUMN operator_id text REFERENCES accounts(user_id)`);
    await q.query(`ALTER TABLE sms ADD COLUMN call_back boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE calls ADD COLUMN hops integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE call_hops (
        call_id text NOT NULL REFERENCES calls(call_id),
        hop integer NOT NULL,
        from_id text NOT NULL REFERENCES accounts(user_id),
        to_id text NOT NULL REFERENCES accounts(user_id),
        by_id text NOT NULL REFERENCES accounts(user_id),
        note text,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (call_id, hop)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE call_hops`);
    await q.query(`ALTER TABLE calls DROP COLUMN hops`);
    await q.query(`ALTER TABLE calls DROP COLUMN operator_id`);
    await q.query(`ALTER TABLE sms DROP COLUMN call_back`);
    for (const t of ["service_addresses", "service_operators", "services"]) await q.query(`DROP TABLE ${t}`);
    await q.query(`ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check`);
    await q.query(
      `ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('user', 'guest'))`,
    );
  }
}
