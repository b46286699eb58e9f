/**
 * Delivery to peer providers (spec/federation-delivery.md): the outbox of items waiting for each
 * destination, one row per destination for its lease and back-off, and the transactions received
 * from peers so a retried transaction is not applied twice.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class FederationDelivery1765065600000 implements MigrationInterface {
  name = "FederationDelivery1765065600000";

  async up(q: QueryRunner): Promise<void> {
    // `txn_id` is stamped once the item is put in a transaction: a retry resends exactly those rows.
    await q.query(`
      CREATE TABLE federation_outbox (
        seq bigserial PRIMARY KEY,
        destination text NOT NULL,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        txn_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX federation_outbox_destination ON federation_outbox (destination, seq)`);
    // `generation` grows each time a sender lets go of the destination: it names the next job, so
    // a wake-up is never swallowed by the job that is just finishing (see federation/src/outbound).
    await q.query(`
      CREATE TABLE federation_destinations (
        destination text PRIMARY KEY,
        lease_until timestamptz,
        lease_owner text,
        failures integer NOT NULL DEFAULT 0,
        retry_at timestamptz,
        last_error text,
        last_sent_at timestamptz,
        generation bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE federation_received_txns (
        origin text NOT NULL,
        txn_id text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (origin, txn_id)
      )`);
    await q.query(`CREATE INDEX federation_received_txns_age ON federation_received_txns (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE federation_received_txns`);
    await q.query(`DROP TABLE federation_destinations`);
    await q.query(`DROP TABLE federation_outbox`);
  }
}
