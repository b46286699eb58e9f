/** A verified domain owner's claim on a brand-like name held by someone else. */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class NameClaims1764288000000 implements MigrationInterface {
  name = "NameClaims1764288000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE names ADD COLUMN claimed_by text, ADD COLUMN claimed_domain text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE names DROP COLUMN claimed_by, DROP COLUMN claimed_domain`);
  }
}
