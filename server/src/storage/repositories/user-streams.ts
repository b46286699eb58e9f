/** Per-user stream items besides room events: to-device messages, account data, receipts; and filters. */
import type { Sql } from "../database.js";

export interface ToDeviceRow {
  pos: number;
  sender: string;
  type: string;
  content: Record<string, unknown>;
  messageId: string;
}

export class ToDeviceRepo {
  constructor(private readonly sql: Sql) {}

  /** Records a sender's transaction; false when it was seen before (a retry). */
  async claimTxn(sender: string, deviceId: string, txnId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO to_device_txns (sender, device_id, txn_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [sender, deviceId, txnId],
    );
    return rows.length === 1;
  }

  async insert(pos: number, userId: string, deviceId: string, m: Omit<ToDeviceRow, "pos">): Promise<void> {
    await this.sql.query(
      `INSERT INTO to_device (stream_pos, user_id, device_id, sender, type, content, message_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [pos, userId, deviceId, m.sender, m.type, m.content, m.messageId],
    );
  }

  /**
   * Deletes what the device acknowledged (position ≤ `acked`) and returns all that is newer: a
   * sync token acknowledges everything below it, so nothing may be held back.
   */
  async takeFor(userId: string, deviceId: string, acked: number, upTo: number): Promise<ToDeviceRow[]> {
    // One round trip: the acknowledged ones deleted, the next ones read (disjoint rows).
    const rows = await this.sql.query(
      `WITH acked AS (
         DELETE FROM to_device WHERE user_id = $1 AND device_id = $2 AND stream_pos <= $3 AND $3 > 0
       )
       SELECT stream_pos, sender, type, content, message_id FROM to_device
       WHERE user_id = $1 AND device_id = $2 AND stream_pos > $3 AND stream_pos <= $4 ORDER BY stream_pos`,
      [userId, deviceId, acked, upTo],
    );
    return rows.map(
      (r: {
        stream_pos: string;
        sender: string;
        type: string;
        content: Record<string, unknown>;
        message_id: string;
      }) => ({
        pos: Number(r.stream_pos),
        sender: r.sender,
        type: r.type,
        content: r.content,
        messageId: r.message_id,
      }),
    );
  }
}

export interface AccountDataRow {
  roomId: string;
  type: string;
  content: Record<string, unknown>;
}

export class AccountDataRepo {
  constructor(private readonly sql: Sql) {}

  async put(pos: number, userId: string, roomId: string, type: string, content: Record<string, unknown>) {
    await this.sql.query(
      `INSERT INTO account_data (user_id, room_id, type, content, stream_pos) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, room_id, type) DO UPDATE SET content = EXCLUDED.content, stream_pos = EXCLUDED.stream_pos`,
      [userId, roomId, type, content, pos],
    );
  }

  async get(userId: string, roomId: string, type: string): Promise<Record<string, unknown> | undefined> {
    const [r] = await this.sql.query(
      `SELECT content FROM account_data WHERE user_id = $1 AND room_id = $2 AND type = $3`,
      [userId, roomId, type],
    );
    return r?.content;
  }

  async changed(userId: string, after: number, upTo: number): Promise<AccountDataRow[]> {
    const rows = await this.sql.query(
      `SELECT room_id, type, content FROM account_data WHERE user_id = $1 AND stream_pos > $2 AND stream_pos <= $3
       ORDER BY stream_pos`,
      [userId, after, upTo],
    );
    return rows.map((r: { room_id: string; type: string; content: Record<string, unknown> }) => ({
      roomId: r.room_id,
      type: r.type,
      content: r.content,
    }));
  }
}

export interface ReceiptRow {
  roomId: string;
  userId: string;
  type: string;
  eventId: string;
  eventPos: number;
  ts: number;
}

export class ReceiptsRepo {
  constructor(private readonly sql: Sql) {}

  /** Stores a receipt unless the user already has one at or after that event. */
  async put(pos: number, r: ReceiptRow): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO receipts (room_id, user_id, type, event_id, event_pos, ts, stream_pos)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (room_id, user_id, type) DO UPDATE
         SET event_id = EXCLUDED.event_id, event_pos = EXCLUDED.event_pos, ts = EXCLUDED.ts, stream_pos = EXCLUDED.stream_pos
         WHERE receipts.event_pos < EXCLUDED.event_pos
       RETURNING 1`,
      [r.roomId, r.userId, r.type, r.eventId, r.eventPos, r.ts, pos],
    );
    return rows.length === 1;
  }

  /** Receipts in the rooms changed in (after, upTo]; private receipts only the reader's own. */
  async changed(roomIds: string[], viewer: string, after: number, upTo: number): Promise<ReceiptRow[]> {
    if (roomIds.length === 0) return [];
    const rows = await this.sql.query(
      `SELECT room_id, user_id, type, event_id, event_pos, ts FROM receipts
       WHERE room_id = ANY($1) AND stream_pos > $2 AND stream_pos <= $3 AND (type = 'm.read' OR user_id = $4)`,
      [roomIds, after, upTo, viewer],
    );
    return rows.map(
      (r: {
        room_id: string;
        user_id: string;
        type: string;
        event_id: string;
        event_pos: string;
        ts: string;
      }) => ({
        roomId: r.room_id,
        userId: r.user_id,
        type: r.type,
        eventId: r.event_id,
        eventPos: Number(r.event_pos),
        ts: Number(r.ts),
      }),
    );
  }
}

export class FiltersRepo {
  constructor(private readonly sql: Sql) {}

  async insert(userId: string, definition: Record<string, unknown>): Promise<string> {
    const [r] = await this.sql.query(
      `INSERT INTO filters (user_id, definition) VALUES ($1, $2) RETURNING filter_id`,
      [userId, definition],
    );
    return String(r.filter_id);
  }

  async get(userId: string, filterId: string): Promise<Record<string, unknown> | undefined> {
    if (!/^\d{1,9}$/.test(filterId)) return undefined;
    const [r] = await this.sql.query(`SELECT definition FROM filters WHERE user_id = $1 AND filter_id = $2`, [
      userId,
      Number(filterId),
    ]);
    return r?.definition;
  }
}

export class TypingRepo {
  constructor(private readonly sql: Sql) {}

  async put(pos: number, roomId: string, userId: string, expiresAt: Date): Promise<void> {
    await this.sql.query(
      `INSERT INTO typing (room_id, user_id, expires_at, stream_pos) VALUES ($1, $2, $3, $4)
       ON CONFLICT (room_id, user_id) DO UPDATE SET expires_at = EXCLUDED.expires_at, stream_pos = EXCLUDED.stream_pos`,
      [roomId, userId, expiresAt, pos],
    );
  }

  /** Marks an expired typing row as changed, so clients learn that the user stopped. */
  async touchExpired(pos: number, roomId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE typing SET stream_pos = $3 WHERE room_id = $1 AND user_id = $2 AND expires_at <= now() RETURNING 1`,
      [roomId, userId, pos],
    );
    return rows.length === 1;
  }

  /** Rooms whose typing set changed in (after, upTo], with who is typing now. */
  async changed(roomIds: string[], after: number, upTo: number): Promise<Map<string, string[]>> {
    if (roomIds.length === 0) return new Map();
    const rows = await this.sql.query(
      `SELECT room_id, array_remove(array_agg(CASE WHEN expires_at > now() THEN user_id END ORDER BY user_id), NULL) AS users
       FROM typing WHERE room_id = ANY($1) GROUP BY room_id
       HAVING max(stream_pos) FILTER (WHERE stream_pos <= $3) > $2`,
      [roomIds, after, upTo],
    );
    return new Map(rows.map((r: { room_id: string; users: string[] }) => [r.room_id, r.users]));
  }
}
