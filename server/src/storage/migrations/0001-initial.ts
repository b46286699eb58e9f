/**
 * The initial schema. Migrations are checked in and run at start on PostgreSQL and on the
 * embedded PGlite alike (one SQL dialect); `synchronize` is never used.
 *
 * Streams: every item a client can receive through `/sync` (room events, to-device messages,
 * account data, receipts) takes its position from `stream_head`. Writers bump the single row
 * inside their transaction, which both allocates positions and serialises writers, so positions
 * commit in order and a reader that reads the head first never skips an item that commits later.
 */
import type { MigrationInterface, QueryRunner } from "typeorm";
import { SCHEDULED_JOBS_DDL } from "../../jobs/sql-job-store.js";

export class Initial1763683200000 implements MigrationInterface {
  name = "Initial1763683200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE stream_head (id smallint PRIMARY KEY CHECK (id = 1), pos bigint NOT NULL)`);
    await q.query(`INSERT INTO stream_head (id, pos) VALUES (1, 0)`);
    await q.query(`CREATE SEQUENCE account_numbers START 100000001 MINVALUE 100000001 MAXVALUE 999999999`);
    await q.query(`
      CREATE TABLE accounts (
        user_id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('user', 'guest')),
        number bigint UNIQUE,
        username text UNIQUE,
        email text UNIQUE,
        password_hash text,
        display_name text,
        avatar_url text,
        deactivated boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE devices (
        user_id text NOT NULL REFERENCES accounts(user_id) ON DELETE CASCADE,
        device_id text NOT NULL,
        display_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz,
        PRIMARY KEY (user_id, device_id)
      )`);
    await q.query(`
      CREATE TABLE access_tokens (
        token_hash text PRIMARY KEY,
        user_id text NOT NULL,
        device_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (user_id, device_id) REFERENCES devices(user_id, device_id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE rooms (
        room_id text PRIMARY KEY,
        creator text NOT NULL,
        room_version text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE events (
        stream_pos bigint PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        room_id text NOT NULL REFERENCES rooms(room_id),
        type text NOT NULL,
        state_key text,
        sender text NOT NULL,
        content jsonb NOT NULL,
        prev_content jsonb,
        origin_server_ts bigint NOT NULL,
        txn_device_id text,
        txn_id text
      )`);
    await q.query(`CREATE INDEX events_room_pos ON events (room_id, stream_pos)`);
    await q.query(
      `CREATE UNIQUE INDEX events_txn ON events (sender, txn_device_id, txn_id) WHERE txn_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE current_state (
        room_id text NOT NULL REFERENCES rooms(room_id),
        type text NOT NULL,
        state_key text NOT NULL,
        event_id text NOT NULL,
        stream_pos bigint NOT NULL,
        membership text,
        PRIMARY KEY (room_id, type, state_key)
      )`);
    await q.query(
      `CREATE INDEX current_state_members ON current_state (state_key, membership) WHERE type = 'm.room.member'`,
    );
    await q.query(`
      CREATE TABLE to_device (
        stream_pos bigint PRIMARY KEY,
        user_id text NOT NULL,
        device_id text NOT NULL,
        sender text NOT NULL,
        type text NOT NULL,
        content jsonb NOT NULL,
        message_id text NOT NULL
      )`);
    await q.query(`CREATE INDEX to_device_target ON to_device (user_id, device_id, stream_pos)`);
    await q.query(`
      CREATE TABLE to_device_txns (
        sender text NOT NULL,
        device_id text NOT NULL,
        txn_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sender, device_id, txn_id)
      )`);
    await q.query(`
      CREATE TABLE account_data (
        user_id text NOT NULL,
        room_id text NOT NULL DEFAULT '',
        type text NOT NULL,
        content jsonb NOT NULL,
        stream_pos bigint NOT NULL,
        PRIMARY KEY (user_id, room_id, type)
      )`);
    await q.query(`CREATE INDEX account_data_pos ON account_data (user_id, stream_pos)`);
    await q.query(`
      CREATE TABLE receipts (
        room_id text NOT NULL,
        user_id text NOT NULL,
        type text NOT NULL,
        event_id text NOT NULL,
        event_pos bigint NOT NULL,
        ts bigint NOT NULL,
        stream_pos bigint NOT NULL,
        PRIMARY KEY (room_id, user_id, type)
      )`);
    await q.query(`CREATE INDEX receipts_pos ON receipts (room_id, stream_pos)`);
    await q.query(`
      CREATE TABLE filters (
        user_id text NOT NULL,
        filter_id serial,
        definition jsonb NOT NULL,
        PRIMARY KEY (user_id, filter_id)
      )`);
    await q.query(`
      CREATE TABLE uia_sessions (
        session_id text PRIMARY KEY,
        completed jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE used_captchas (
        challenge_id text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(SCHEDULED_JOBS_DDL);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      "scheduled_jobs",
      "used_captchas",
      "uia_sessions",
      "filters",
      "receipts",
      "account_data",
      "to_device_txns",
      "to_device",
      "current_state",
      "events",
      "rooms",
      "access_tokens",
      "devices",
      "accounts",
      "stream_head",
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS account_numbers`);
  }
}
