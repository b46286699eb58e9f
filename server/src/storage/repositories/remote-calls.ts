/** Calls this provider's users placed to another provider, which hosts them (migration 0018). */
import type { Sql } from "../database.js";

export interface RemoteCallRow {
  callId: string;
  roomId: string;
  host: string;
  userId: string;
}

export class RemoteCallsRepo {
  constructor(private readonly sql: Sql) {}

  async insert(c: RemoteCallRow): Promise<void> {
    await this.sql.query(
      `INSERT INTO remote_calls (call_id, room_id, host, user_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id) DO NOTHING`,
      [c.callId, c.roomId, c.host, c.userId],
    );
  }

  /** The remote call `callId` if `userId` placed it. */
  async of(userId: string, callId: string): Promise<RemoteCallRow | undefined> {
    const [r] = await this.sql.query(
      `SELECT call_id, room_id, host, user_id FROM remote_calls WHERE call_id = $1 AND user_id = $2`,
      [callId, userId],
    );
    return r ? { callId: r.call_id, roomId: r.room_id, host: r.host, userId: r.user_id } : undefined;
  }
}
