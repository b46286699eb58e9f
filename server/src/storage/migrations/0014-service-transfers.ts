/**
 * Transfers of a service (and its id) to another customer: the sending owner offers it to a
 * person, who accepts it into a customer they own (or declines); each offer keeps who decided
 * what and when, as the audit log of the move.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class ServiceTransfers1764806400000 implements MigrationInterface {
  name = "ServiceTransfers1764806400000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE service_transfers (
        offer_id text PRIMARY KEY,
        service_id text NOT NULL REFERENCES services(service_id),
        from_customer text NOT NULL REFERENCES customers(customer_id),
        to_user text NOT NULL REFERENCES accounts(user_id),
        to_customer text REFERENCES customers(customer_id),
        state text NOT NULL CHECK (state IN ('offered', 'accepted', 'declined', 'cancelled')),
        note text,
        offered_by text NOT NULL REFERENCES accounts(user_id),
        offered_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        decided_by text REFERENCES accounts(user_id),
        decided_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX service_transfers_open ON service_transfers (service_id) WHERE state = 'offered'`,
    );
    await q.query(`CREATE INDEX service_transfers_to ON service_transfers (to_user, offered_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE service_transfers`);
  }
}
