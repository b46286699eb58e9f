/** Claims of domains, verified through DNS; at most one holding claim per domain. */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class DomainClaims1764201600000 implements MigrationInterface {
  name = "DomainClaims1764201600000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE domain_claims (
        claim_id text PRIMARY KEY,
        domain text NOT NULL,
        holder_id text NOT NULL,
        token text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'verified', 'failing', 'grace', 'lapsed', 'revoked')),
        created_at timestamptz NOT NULL DEFAULT now(),
        verified_at timestamptz,
        last_checked_at timestamptz,
        failures integer NOT NULL DEFAULT 0,
        first_failure_at timestamptz,
        grace_until timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX domain_claims_holding ON domain_claims (domain) WHERE state IN ('verified', 'failing', 'grace')`,
    );
    await q.query(
      `CREATE UNIQUE INDEX domain_claims_open ON domain_claims (domain, holder_id) WHERE state IN ('pending', 'verified', 'failing', 'grace')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE domain_claims`);
  }
}
