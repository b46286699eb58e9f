/**
 * Typing notifications. A user's typing flag is a row with an expiry and a stream position;
 * setting it wakes the room's members. When the flag lapses on its own, a job bumps the row so
 * members learn that the user stopped, exactly as if they had said so.
 */
import { ProtocolError } from "../../../protocol/errors.js";
import { EventType, Membership } from "../../../protocol/matrix/event-types.js";
import type { JobEngine } from "../jobs/types.js";
import { EventsRepo } from "../storage/repositories/events.js";
import { TypingRepo } from "../storage/repositories/user-streams.js";
import type { Requester } from "./accounts.js";
import type { StreamWriter } from "./stream-writer.js";

export const TYPING_EXPIRY_JOB = "typing-expiry";
/** Longest a typing flag lasts without being renewed. */
export const MAX_TYPING_MS = 30_000;

export interface TypingExpiry {
  roomId: string;
  userId: string;
}

export class TypingService {
  constructor(
    private readonly writer: StreamWriter,
    private readonly jobs: JobEngine,
  ) {}

  async set(
    r: Requester,
    roomId: string,
    userId: string,
    typing: boolean,
    timeoutMs = MAX_TYPING_MS,
  ): Promise<void> {
    if (r.userId !== userId) throw new ProtocolError("M_FORBIDDEN", "You may only set your own typing state");
    const lasts = typing ? Math.min(Math.max(timeoutMs, 0), MAX_TYPING_MS) : 0;
    const expiresAt = new Date(Date.now() + lasts);
    await this.writer.write(async (tx) => {
      const events = new EventsRepo(tx);
      const member = await events.stateEvent(roomId, EventType.RoomMember, userId);
      if (member?.content.membership !== Membership.Join)
        throw new ProtocolError("M_FORBIDDEN", "You are not in this room");
      await new TypingRepo(tx).put(await tx.nextPosition(), roomId, userId, expiresAt);
      tx.notify(...(await events.members(roomId, [Membership.Join])));
    });
    if (lasts > 0) {
      await this.jobs.add<TypingExpiry>(
        TYPING_EXPIRY_JOB,
        { roomId, userId },
        { jobId: `${roomId}|${userId}|${expiresAt.getTime()}`, delayMs: lasts + 50, attempts: 3 },
      );
    }
  }

  /** The job: if the flag has lapsed (and was not renewed), tell the room. Safe to repeat. */
  async expire({ roomId, userId }: TypingExpiry): Promise<void> {
    await this.writer.write(async (tx) => {
      const pos = await tx.nextPosition();
      if (await new TypingRepo(tx).touchExpired(pos, roomId, userId)) {
        tx.notify(...(await new EventsRepo(tx).members(roomId, [Membership.Join])));
      }
    });
  }
}
