/** Read receipts (`m.read`, `m.read.private`) and the fully-read marker. */
import { ProtocolError } from "../../../protocol/errors.js";
import { EventType, Membership } from "../../../protocol/matrix/event-types.js";
import { EventsRepo } from "../storage/repositories/events.js";
import { AccountDataRepo, ReceiptsRepo } from "../storage/repositories/user-streams.js";
import type { Requester } from "./accounts.js";
import type { StreamWriter } from "./stream-writer.js";

export const ReceiptType = {
  Read: "m.read",
  ReadPrivate: "m.read.private",
  FullyRead: "m.fully_read",
} as const;

export class ReceiptService {
  constructor(private readonly writer: StreamWriter) {}

  async mark(r: Requester, roomId: string, markers: Partial<Record<string, string>>): Promise<void> {
    await this.writer.write(async (tx) => {
      const events = new EventsRepo(tx);
      const member = await events.stateEvent(roomId, EventType.RoomMember, r.userId);
      if (member?.content.membership !== Membership.Join)
        throw new ProtocolError("M_FORBIDDEN", "You are not in this room");
      for (const [type, eventId] of Object.entries(markers)) {
        if (!eventId) continue;
        const e = await events.byId(eventId);
        if (!e || e.roomId !== roomId) throw new ProtocolError("M_NOT_FOUND", `Unknown event ${eventId}`);
        const pos = await tx.nextPosition();
        if (type === ReceiptType.FullyRead) {
          await new AccountDataRepo(tx).put(pos, r.userId, roomId, type, { event_id: eventId });
          tx.notify(r.userId);
        } else if (type === ReceiptType.Read || type === ReceiptType.ReadPrivate) {
          const stored = await new ReceiptsRepo(tx).put(pos, {
            roomId,
            userId: r.userId,
            type,
            eventId,
            eventPos: e.pos,
            ts: Date.now(),
          });
          if (stored) {
            if (type === ReceiptType.Read) tx.notify(...(await events.members(roomId, [Membership.Join])));
            else tx.notify(r.userId);
          }
        } else {
          throw new ProtocolError("M_INVALID_PARAM", `Unknown receipt type ${type}`);
        }
      }
    });
  }
}
