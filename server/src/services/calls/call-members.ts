/**
 * Membership moves in call rooms, written by the server (the call's state machine decided them):
 * who is invited (the callee, or a service's online operators), who joins on take, who leaves
 * on transfer, and withdrawing invites that no longer ring.
 */
import { EventType, Membership } from "../../../../protocol/matrix/event-types.js";
import { EventsRepo } from "../../storage/repositories/events.js";
import type { Requester } from "../requester.js";
import type { RoomService } from "../rooms/room-service.js";
import type { WriteTx } from "../stream-writer.js";

const as = (userId: string): Requester => ({ userId, deviceId: "", isGuest: false });

export class CallMembers {
  constructor(private readonly rooms: RoomService) {}

  /** Invites those of `userIds` who are not in the room yet, in the inviter's name. */
  async invite(tx: WriteTx, roomId: string, inviterId: string, userIds: string[]): Promise<void> {
    const present = new Set(await new EventsRepo(tx).members(roomId, [Membership.Invite, Membership.Join]));
    for (const u of userIds) {
      if (!present.has(u)) await this.set(tx, roomId, inviterId, u, Membership.Invite);
    }
  }

  join = (tx: WriteTx, roomId: string, userId: string) =>
    this.set(tx, roomId, userId, userId, Membership.Join);

  leave = (tx: WriteTx, roomId: string, userId: string) =>
    this.set(tx, roomId, userId, userId, Membership.Leave);

  /** Withdraws the invites of `only` (default: everyone invited), keeping those in `keep`. */
  async withdraw(
    tx: WriteTx,
    roomId: string,
    opts: { only?: string[]; keep?: string[] } = {},
  ): Promise<void> {
    const invited = await new EventsRepo(tx).members(roomId, [Membership.Invite]);
    for (const u of invited) {
      if (opts.only && !opts.only.includes(u)) continue;
      if (opts.keep?.includes(u)) continue;
      await this.set(tx, roomId, u, u, Membership.Leave);
    }
  }

  private async set(tx: WriteTx, roomId: string, senderId: string, target: string, membership: string) {
    const content =
      membership === Membership.Leave
        ? { membership }
        : await this.rooms.memberContent(tx, target, membership);
    await this.rooms.appendIn(
      tx,
      as(senderId),
      { roomId, type: EventType.RoomMember, stateKey: target, content },
      false,
    );
  }
}
