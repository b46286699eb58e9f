/**
 * Calls from a company's PBX and the plan's limit on a call (spec/services.md "Calls from your
 * PBX", spec/calls.md): a trunk may register its account at the PBX to take calls from it; a
 * call that came that way keeps the SIP address of the extension that dialled; an answered
 * call keeps the longest it may last, so both sides can show it.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class PbxLines1765411200000 implements MigrationInterface {
  name = "PbxLines1765411200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sip_trunks ADD COLUMN accept_calls boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE calls ADD COLUMN from_pbx text`);
    await q.query(`ALTER TABLE calls ADD COLUMN limit_s int`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calls DROP COLUMN limit_s`);
    await q.query(`ALTER TABLE calls DROP COLUMN from_pbx`);
    await q.query(`ALTER TABLE sip_trunks DROP COLUMN accept_calls`);
  }
}
