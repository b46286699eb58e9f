/**
 * Reserved names, their audit log, and payments. A name row outlives its holders: a released
 * name keeps its row (state released, with the release time that drives the premium) until it
 * is reserved again. The skeleton column makes look-alikes of held names collide.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class Names1764115200000 implements MigrationInterface {
  name = "Names1764115200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE names (
        name text PRIMARY KEY,
        skeleton text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('user', 'service')),
        holder_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('held', 'active', 'grace', 'released')),
        is_brand boolean NOT NULL,
        brand_reasons jsonb NOT NULL DEFAULT '[]',
        held_until timestamptz,
        due_cents integer NOT NULL DEFAULT 0,
        paid_until timestamptz,
        grace_until timestamptz,
        released_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX names_live_skeleton ON names (skeleton) WHERE state <> 'released'`);
    await q.query(`CREATE INDEX names_holder ON names (holder_id)`);
    await q.query(`
      CREATE TABLE name_events (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        actor text NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX name_events_name ON name_events (name, id)`);
    await q.query(`
      CREATE TABLE payments (
        payment_id text PRIMARY KEY,
        payer_id text NOT NULL,
        purpose text NOT NULL,
        amount_cents integer NOT NULL,
        currency text NOT NULL,
        provider text NOT NULL,
        provider_ref text,
        status text NOT NULL CHECK (status IN ('succeeded', 'declined')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX payments_payer ON payments (payer_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["payments", "name_events", "names"]) await q.query(`DROP TABLE ${t}`);
  }
}
