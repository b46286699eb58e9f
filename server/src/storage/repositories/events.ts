/**
 * Room events, current state and memberships. Positions (`stream_pos`) come from the shared
 * stream counter (storage/stream-positions.ts) and order every room's events: the hosting
 * server is the one authority, and a room's state changes take their positions one at a time
 * under the room's lock, so stream order is also topological order.
 */
import type { Sql } from "../database.js";
import { EventType } from "../../../../protocol/matrix/event-types.js";

export interface EventRow {
  pos: number;
  eventId: string;
  roomId: string;
  type: string;
  stateKey: string | null;
  sender: string;
  content: Record<string, unknown>;
  prevContent: Record<string, unknown> | null;
  ts: number;
  txnDeviceId: string | null;
  txnId: string | null;
}

export const COLUMNS = `stream_pos, event_id, room_id, type, state_key, sender, content, prev_content,
  origin_server_ts, txn_device_id, txn_id`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toRow(r: any): EventRow {
  return {
    pos: Number(r.stream_pos),
    eventId: r.event_id,
    roomId: r.room_id,
    type: r.type,
    stateKey: r.state_key,
    sender: r.sender,
    content: r.content,
    prevContent: r.prev_content,
    ts: Number(r.origin_server_ts),
    txnDeviceId: r.txn_device_id,
    txnId: r.txn_id,
  };
}

export class EventsRepo {
  constructor(private readonly sql: Sql) {}

  async insertRoom(roomId: string, creator: string, version: string): Promise<void> {
    await this.sql.query(`INSERT INTO rooms (room_id, creator, room_version) VALUES ($1, $2, $3)`, [
      roomId,
      creator,
      version,
    ]);
  }

  /** Locks a room's row until the transaction ends: its state changes are made one at a time. */
  async lockRoom(roomId: string): Promise<void> {
    await this.sql.query(`SELECT 1 FROM rooms WHERE room_id = $1 FOR UPDATE`, [roomId]);
  }

  async roomExists(roomId: string): Promise<boolean> {
    const rows = await this.sql.query(`SELECT 1 FROM rooms WHERE room_id = $1`, [roomId]);
    return rows.length > 0;
  }

  /** Appends an event; a state event also replaces the room's current state for its key. */
  async insert(e: EventRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO events (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        e.pos,
        e.eventId,
        e.roomId,
        e.type,
        e.stateKey,
        e.sender,
        e.content,
        e.prevContent,
        e.ts,
        e.txnDeviceId,
        e.txnId,
      ],
    );
    if (e.stateKey !== null) {
      const membership = e.type === EventType.RoomMember ? String(e.content.membership ?? "") : null;
      if (membership === "invite" || membership === "join") {
        // Coming back to a forgotten room brings it back into one's syncs.
        await this.sql.query(`DELETE FROM forgotten_rooms WHERE room_id = $1 AND user_id = $2`, [
          e.roomId,
          e.stateKey,
        ]);
      }
      await this.sql.query(
        `INSERT INTO current_state (room_id, type, state_key, event_id, stream_pos, membership)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (room_id, type, state_key) DO UPDATE
           SET event_id = EXCLUDED.event_id, stream_pos = EXCLUDED.stream_pos, membership = EXCLUDED.membership`,
        [e.roomId, e.type, e.stateKey, e.eventId, e.pos, membership],
      );
    }
  }

  async byId(eventId: string): Promise<EventRow | undefined> {
    const [r] = await this.sql.query(`SELECT ${COLUMNS} FROM events WHERE event_id = $1`, [eventId]);
    return r ? toRow(r) : undefined;
  }

  /** The event a client transaction created: one per (sender, device, room, type, txn ID). */
  async byTxn(
    sender: string,
    deviceId: string,
    roomId: string,
    type: string,
    txnId: string,
  ): Promise<EventRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT ${COLUMNS} FROM events
       WHERE sender = $1 AND txn_device_id = $2 AND room_id = $3 AND type = $4 AND txn_id = $5`,
      [sender, deviceId, roomId, type, txnId],
    );
    return r ? toRow(r) : undefined;
  }

  async stateEvent(roomId: string, type: string, stateKey: string): Promise<EventRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT ${COLUMNS} FROM events WHERE event_id =
         (SELECT event_id FROM current_state WHERE room_id = $1 AND type = $2 AND state_key = $3)`,
      [roomId, type, stateKey],
    );
    return r ? toRow(r) : undefined;
  }

  async currentState(roomId: string): Promise<EventRow[]> {
    return (await this.currentStates([roomId])).get(roomId) ?? [];
  }

  /** The current state of several rooms, by room, oldest event first. */
  async currentStates(roomIds: string[]): Promise<Map<string, EventRow[]>> {
    const byRoom = new Map<string, EventRow[]>();
    if (roomIds.length === 0) return byRoom;
    const rows = await this.sql.query(
      `SELECT ${COLUMNS} FROM events WHERE event_id IN (SELECT event_id FROM current_state WHERE room_id = ANY($1))
       ORDER BY stream_pos`,
      [roomIds],
    );
    for (const row of rows.map(toRow)) {
      const list = byRoom.get(row.roomId);
      if (list) list.push(row);
      else byRoom.set(row.roomId, [row]);
    }
    return byRoom;
  }

  /**
   * The room state just before position `before`, limited to state that changed after `after`
   * (exclusive; 0 for the whole state): what a client needs ahead of a timeline slice.
   */
  async stateBetween(roomId: string, after: number, before: number): Promise<EventRow[]> {
    const rows = await this.sql.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (type, state_key) ${COLUMNS} FROM events
         WHERE room_id = $1 AND state_key IS NOT NULL AND stream_pos < $2
         ORDER BY type, state_key, stream_pos DESC) s
       WHERE stream_pos > $3 ORDER BY stream_pos`,
      [roomId, before, after],
    );
    return rows.map(toRow);
  }

  /**
   * Up to `limit` events of a room with `after < pos <= upTo`: the newest ones when `newest`
   * (a sync timeline, a backwards page), else the oldest; returned in stream order either way.
   */
  async slice(
    roomId: string,
    after: number,
    upTo: number,
    limit: number,
    newest: boolean,
    types?: { include?: string[]; exclude?: string[] },
  ): Promise<EventRow[]> {
    const params: unknown[] = [roomId, after, upTo, limit];
    let filter = "";
    if (types?.include) {
      params.push(types.include);
      filter += ` AND type = ANY($${params.length})`;
    }
    if (types?.exclude?.length) {
      params.push(types.exclude);
      filter += ` AND NOT (type = ANY($${params.length}))`;
    }
    const rows = await this.sql.query(
      `SELECT ${COLUMNS} FROM events WHERE room_id = $1 AND stream_pos > $2 AND stream_pos <= $3 ${filter}
       ORDER BY stream_pos ${newest ? "DESC" : "ASC"} LIMIT $4`,
      params,
    );
    const out = rows.map(toRow);
    return newest ? out.reverse() : out;
  }

  /** Rooms (of those given) that have an event with `after < pos <= upTo`. */
  async roomsChanged(roomIds: string[], after: number, upTo: number): Promise<Set<string>> {
    if (roomIds.length === 0) return new Set();
    const rows = await this.sql.query(
      `SELECT DISTINCT room_id FROM events WHERE room_id = ANY($1) AND stream_pos > $2 AND stream_pos <= $3`,
      [roomIds, after, upTo],
    );
    return new Set(rows.map((r: { room_id: string }) => r.room_id));
  }

  /** The user's membership in every room they have been in and not forgotten, with its position. */
  async membershipsOf(
    userId: string,
    changedAfter = 0,
  ): Promise<{ roomId: string; membership: string; pos: number; eventId: string }[]> {
    // With `changedAfter`, only the joined rooms and the memberships changed since then: an
    // operator with thousands of calls waiting is not read every invite again on every sync.
    const rows = await this.sql.query(
      `SELECT room_id, membership, stream_pos, event_id FROM current_state c
       WHERE type = $1 AND state_key = $2 AND (membership = 'join' OR stream_pos > $3)
         AND NOT EXISTS (SELECT 1 FROM forgotten_rooms f WHERE f.user_id = $2 AND f.room_id = c.room_id)`,
      [EventType.RoomMember, userId, changedAfter],
    );
    return rows.map((r: { room_id: string; membership: string; stream_pos: string; event_id: string }) => ({
      roomId: r.room_id,
      membership: r.membership,
      pos: Number(r.stream_pos),
      eventId: r.event_id,
    }));
  }

  /** Users whose current membership is one of `memberships`. */
  /** Forgets a room the user has left; false when they are still in it (or invited). */
  async forget(roomId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO forgotten_rooms (user_id, room_id)
       SELECT $2, $1 FROM current_state
       WHERE room_id = $1 AND type = $3 AND state_key = $2 AND membership IN ('leave', 'ban')
       ON CONFLICT DO NOTHING RETURNING 1`,
      [roomId, userId, EventType.RoomMember],
    );
    return rows.length === 1;
  }

  async isForgotten(roomId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(`SELECT 1 FROM forgotten_rooms WHERE room_id = $1 AND user_id = $2`, [
      roomId,
      userId,
    ]);
    return rows.length > 0;
  }

  async members(roomId: string, memberships: string[]): Promise<string[]> {
    const rows = await this.sql.query(
      `SELECT state_key FROM current_state WHERE room_id = $1 AND type = $2 AND membership = ANY($3)
       ORDER BY stream_pos`,
      [roomId, EventType.RoomMember, memberships],
    );
    return rows.map((r: { state_key: string }) => r.state_key);
  }

  async memberCounts(roomId: string): Promise<{ joined: number; invited: number }> {
    const [r] = await this.sql.query(
      `SELECT count(*) FILTER (WHERE membership = 'join') AS joined,
              count(*) FILTER (WHERE membership = 'invite') AS invited
       FROM current_state WHERE room_id = $1 AND type = $2`,
      [roomId, EventType.RoomMember],
    );
    return { joined: Number(r.joined), invited: Number(r.invited) };
  }

  /** Events from others of the notifying types after the user's read receipt: the unread count. */
  async countUnread(roomId: string, userId: string, types: readonly string[]): Promise<number> {
    const [r] = await this.sql.query(
      `SELECT count(*) AS n FROM events
       WHERE room_id = $1 AND sender <> $2 AND type = ANY($3)
         AND stream_pos > COALESCE((SELECT max(event_pos) FROM receipts WHERE room_id = $1 AND user_id = $2), 0)`,
      [roomId, userId, types],
    );
    return Number(r.n);
  }
}
