/**
 * Calling people: calls (one row per call, its room in `rooms`), SMS, inbox options, tags and
 * presence. A call's queue order is the stream position it was queued at (`queue_seq`).
 */
import type { MigrationInterface, QueryRunner } from "typeorm";

export class Calls1763942400000 implements MigrationInterface {
  name = "Calls1763942400000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbox_options (
        user_id text PRIMARY KEY REFERENCES accounts(user_id) ON DELETE CASCADE,
        calls boolean NOT NULL,
        anonymous boolean NOT NULL,
        one_click boolean NOT NULL,
        captcha boolean NOT NULL
      )`);
    await q.query(`
      CREATE TABLE presence (
        user_id text PRIMARY KEY REFERENCES accounts(user_id) ON DELETE CASCADE,
        state text NOT NULL CHECK (state IN ('online', 'offline', 'unavailable')),
        last_active_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE tags (
        owner_id text NOT NULL REFERENCES accounts(user_id) ON DELETE CASCADE,
        name text NOT NULL,
        topic text,
        anonymous boolean NOT NULL,
        one_click boolean NOT NULL,
        expires_at timestamptz NOT NULL,
        expired boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner_id, name)
      )`);
    await q.query(`
      CREATE TABLE calls (
        call_id text PRIMARY KEY,
        room_id text NOT NULL UNIQUE REFERENCES rooms(room_id),
        caller_id text NOT NULL REFERENCES accounts(user_id),
        callee_id text NOT NULL REFERENCES accounts(user_id),
        target text NOT NULL,
        topic text,
        tag text,
        state text NOT NULL,
        position integer,
        video boolean NOT NULL,
        reply text,
        reason text,
        sms_id text,
        callback_kind text CHECK (callback_kind IN ('call', 'sms')),
        callback_id text,
        queue_seq bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz,
        ended_at timestamptz,
        callee_read_at timestamptz
      )`);
    await q.query(`CREATE INDEX calls_queue ON calls (callee_id, queue_seq) WHERE state = 'queued'`);
    await q.query(`CREATE INDEX calls_missed ON calls (callee_id, ended_at) WHERE state = 'missed'`);
    await q.query(
      `CREATE INDEX calls_caller ON calls (caller_id, callee_id) WHERE state IN ('queued', 'offline', 'answered')`,
    );
    await q.query(`
      CREATE TABLE sms (
        sms_id text PRIMARY KEY,
        from_id text NOT NULL REFERENCES accounts(user_id),
        to_id text NOT NULL REFERENCES accounts(user_id),
        topic text,
        text text NOT NULL,
        call_id text REFERENCES calls(call_id),
        reply_to text REFERENCES sms(sms_id),
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await q.query(`CREATE INDEX sms_to ON sms (to_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ["sms", "calls", "tags", "presence", "inbox_options"]) await q.query(`DROP TABLE ${t}`);
  }
}
