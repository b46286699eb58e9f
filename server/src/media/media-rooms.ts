/**
 * The media rooms of answered calls (spec/media.md "The media room"): made on first use by one
 * process at a time, on the pool's least loaded gateway, with a secret derived from the server
 * secret and the call — so any process (or this one after a restart) can take a room on or
 * destroy it — and made anew when the gateway no longer has it.
 */
import { createHmac } from "node:crypto";
import { CallState } from "../../../protocol/callsign/calls.js";
import type { StreamWriter } from "../services/stream-writer.js";
import { CallsRepo, type CallRow } from "../storage/repositories/calls.js";
import { MediaRepo, type MediaRoomRow } from "../storage/repositories/media.js";
import { JanusError, VIDEOROOM_NO_SUCH_ROOM } from "./janus/errors.js";
import type { JanusPool } from "./janus/pool.js";
import { badState, gatewayOf, ref, viaGateway } from "./media-errors.js";

export class MediaRooms {
  constructor(
    private readonly writer: StreamWriter,
    private readonly pool: JanusPool | undefined,
    private readonly secret: string,
  ) {}

  /**
   * Runs `work` in the call's room. A room the gateway no longer has (it restarted, or the
   * homeserver that held the room stopped and destroyed it) is forgotten and made anew, once.
   */
  async inRoom<T>(call: CallRow, work: (room: MediaRoomRow) => Promise<T>): Promise<T> {
    const room = await this.room(call);
    try {
      return await work(room);
    } catch (err) {
      if (!(err instanceof JanusError && err.code === VIDEOROOM_NO_SUCH_ROOM)) throw err;
      await this.destroy(call.callId);
      return work(await this.room(call));
    }
  }

  /** Lets this process's pool act on a room another process (or its past self) made. */
  adopt(room: MediaRoomRow): void {
    gatewayOf(this.pool).adoptRoom(ref(room), this.roomSecret(room.callId));
  }

  /** Destroys the call's room, if it has one, and forgets it. */
  async destroy(callId: string): Promise<void> {
    const room = await this.writer.read((sql) => new MediaRepo(sql).room(callId));
    if (!room) return;
    if (this.pool) {
      this.adopt(room);
      await this.pool.destroyRoom(ref(room)).catch(() => undefined);
    }
    await this.writer.write((tx) => new MediaRepo(tx).deleteRoom(callId));
  }

  /** The call's room, made on first use by one process at a time (the call row is locked). */
  private async room(call: CallRow): Promise<MediaRoomRow> {
    const pool = gatewayOf(this.pool);
    const room = await this.writer.write(async (tx) => {
      const locked = await new CallsRepo(tx).get(call.callId, true);
      if (locked?.state !== CallState.Answered) throw badState(locked ?? call);
      const repo = new MediaRepo(tx);
      const existing = await repo.room(call.callId);
      if (existing) return existing;
      const made = await viaGateway(() =>
        pool.createRoom({
          secret: this.roomSecret(call.callId),
          description: `callsign call ${call.callId}`,
        }),
      );
      try {
        await repo.insertRoom({ callId: call.callId, instance: made.instance, room: made.room });
      } catch (err) {
        await pool.destroyRoom(made).catch(() => undefined);
        throw err;
      }
      return { callId: call.callId, ...made };
    });
    this.adopt(room);
    return room;
  }

  private roomSecret(callId: string): string {
    return createHmac("sha256", this.secret).update(`media-room:${callId}`).digest("base64url");
  }
}
