/** Media rooms of answered calls and the parties' feeds in them (migration 0019). */
import type { Sql } from "../database.js";

export interface MediaRoomRow {
  callId: string;
  instance: string;
  room: number;
}

export interface FeedRow {
  userId: string;
  feedId: number;
  video: boolean;
}

export class MediaRepo {
  constructor(private readonly sql: Sql) {}

  /** The call's room, locking its row when `lock` (one creator per call). */
  async room(callId: string, lock = false): Promise<MediaRoomRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT call_id, instance, room FROM media_rooms WHERE call_id = $1${lock ? " FOR UPDATE" : ""}`,
      [callId],
    );
    return r ? { callId: r.call_id, instance: r.instance, room: Number(r.room) } : undefined;
  }

  async insertRoom(r: MediaRoomRow): Promise<void> {
    await this.sql.query(`INSERT INTO media_rooms (call_id, instance, room) VALUES ($1, $2, $3)`, [
      r.callId,
      r.instance,
      r.room,
    ]);
  }

  async deleteRoom(callId: string): Promise<void> {
    await this.sql.query(`DELETE FROM media_rooms WHERE call_id = $1`, [callId]);
  }

  /** Rooms of calls that ended (a transferred call keeps its room while it waits for the next taker). */
  async stale(): Promise<MediaRoomRow[]> {
    const rows = await this.sql.query(
      `SELECT m.call_id, m.instance, m.room FROM media_rooms m JOIN calls c USING (call_id)
       WHERE c.ended_at IS NOT NULL`,
    );
    return rows.map((r: { call_id: string; instance: string; room: string }) => ({
      callId: r.call_id,
      instance: r.instance,
      room: Number(r.room),
    }));
  }

  /** The call whose room `room` on `instance` is. */
  async callOn(instance: string, room: number): Promise<string | undefined> {
    const [r] = await this.sql.query(`SELECT call_id FROM media_rooms WHERE instance = $1 AND room = $2`, [
      instance,
      room,
    ]);
    return r?.call_id;
  }

  async feeds(callId: string): Promise<FeedRow[]> {
    const rows = await this.sql.query(
      `SELECT user_id, feed_id, video FROM media_feeds WHERE call_id = $1 ORDER BY user_id`,
      [callId],
    );
    return rows.map((r: { user_id: string; feed_id: string; video: boolean }) => ({
      userId: r.user_id,
      feedId: Number(r.feed_id),
      video: r.video,
    }));
  }

  async putFeed(callId: string, f: FeedRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO media_feeds (call_id, user_id, feed_id, video) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id, user_id) DO UPDATE SET feed_id = EXCLUDED.feed_id, video = EXCLUDED.video`,
      [callId, f.userId, f.feedId, f.video],
    );
  }

  async dropFeed(callId: string, userId: string): Promise<void> {
    await this.sql.query(`DELETE FROM media_feeds WHERE call_id = $1 AND user_id = $2`, [callId, userId]);
  }
}
