/**
 * Events stored in batches: a new room's dozen events in three statements instead of three
 * each (EventsRepo.insert does one event at a time).
 */
import { EventType } from "../../../../protocol/matrix/event-types.js";
import type { Sql } from "../database.js";
import { COLUMNS, type EventRow } from "./events.js";

const isInviteOrJoin = (e: EventRow) => e.content.membership === "invite" || e.content.membership === "join";

/**
 * Appends several events at once (a new room's): three statements whatever their number —
 * the events, the current state they set (the last of each key), and the forgotten rooms
 * that invites and joins bring back — as `insert` would one by one.
 */
export async function insertEvents(sql: Sql, rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO events (${COLUMNS})
     SELECT stream_pos, event_id, room_id, type, state_key, sender, content, prev_content,
            origin_server_ts, txn_device_id, txn_id
     FROM jsonb_to_recordset($1::jsonb) AS x(stream_pos bigint, event_id text, room_id text, type text,
       state_key text, sender text, content jsonb, prev_content jsonb, origin_server_ts bigint,
       txn_device_id text, txn_id text)
     ORDER BY stream_pos`,
    [
      JSON.stringify(
        rows.map((e) => ({
          stream_pos: e.pos,
          event_id: e.eventId,
          room_id: e.roomId,
          type: e.type,
          state_key: e.stateKey,
          sender: e.sender,
          content: e.content,
          prev_content: e.prevContent,
          origin_server_ts: e.ts,
          txn_device_id: e.txnDeviceId,
          txn_id: e.txnId,
        })),
      ),
    ],
  );
  const latest = new Map<string, EventRow>();
  for (const e of rows)
    if (e.stateKey !== null) latest.set(`${e.roomId}\u0000${e.type}\u0000${e.stateKey}`, e);
  const state = [...latest.values()];
  if (state.length === 0) return;
  const returning = state.filter((e) => e.type === EventType.RoomMember && isInviteOrJoin(e));
  if (returning.length > 0) {
    await sql.query(
      `DELETE FROM forgotten_rooms f USING jsonb_to_recordset($1::jsonb) AS x(room_id text, user_id text)
       WHERE f.room_id = x.room_id AND f.user_id = x.user_id`,
      [JSON.stringify(returning.map((e) => ({ room_id: e.roomId, user_id: e.stateKey })))],
    );
  }
  await sql.query(
    `INSERT INTO current_state (room_id, type, state_key, event_id, stream_pos, membership)
     SELECT room_id, type, state_key, event_id, stream_pos, membership
     FROM jsonb_to_recordset($1::jsonb) AS x(room_id text, type text, state_key text, event_id text,
       stream_pos bigint, membership text)
     ON CONFLICT (room_id, type, state_key) DO UPDATE
       SET event_id = EXCLUDED.event_id, stream_pos = EXCLUDED.stream_pos, membership = EXCLUDED.membership`,
    [
      JSON.stringify(
        state.map((e) => ({
          room_id: e.roomId,
          type: e.type,
          state_key: e.stateKey,
          event_id: e.eventId,
          stream_pos: e.pos,
          membership: e.type === EventType.RoomMember ? String(e.content.membership ?? "") : null,
        })),
      ),
    ],
  );
}
