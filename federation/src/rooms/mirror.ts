/**
 * The receiving side of room relay (spec/federation.md "Rooms"): events of a room another
 * provider hosts are stored here as the host ordered them — same event IDs, new local stream
 * positions — so this provider's members get them through their own /sync like any event.
 * Only the room's host (the provider its ID names) may send its events, and only for a room
 * one of our users is in or is entering; an event seen before is ignored.
 */
import { RoomEventItem } from "../../../protocol/federation/calls.js";
import { ProtocolError } from "../../../protocol/errors.js";
import { serverOf } from "../../../protocol/ids.js";
import { EventType, Membership, RoomVersions } from "../../../protocol/matrix/event-types.js";
import { parse } from "../../../server/src/http/route.js";
import type { WriteTx } from "../../../server/src/services/stream-writer.js";
import { EventsRepo } from "../../../server/src/storage/repositories/events.js";
import type { InboundItemHandler } from "../inbound/items.js";

export function mirrorRoomEvents(serverName: string): InboundItemHandler {
  const ours = (userId: string | null) => !!userId && serverOf(userId) === serverName;
  return async (tx: WriteTx, origin: string, payload: Record<string, unknown>) => {
    const e = parse(RoomEventItem, payload, "item");
    if (serverOf(e.room_id) !== origin) {
      throw new ProtocolError("M_FORBIDDEN", `${origin} does not host ${e.room_id}`);
    }
    const repo = new EventsRepo(tx);
    if (await repo.byId(e.event_id)) return;
    if (!(await repo.roomExists(e.room_id))) {
      const entering = ours(e.sender) || (e.type === EventType.RoomMember && ours(e.state_key));
      if (!entering) throw new ProtocolError("M_FORBIDDEN", `None of our users is in ${e.room_id}`);
      const version = e.type === EventType.RoomCreate ? e.content.room_version : undefined;
      await repo.insertRoom(
        e.room_id,
        e.sender,
        typeof version === "string" ? version : RoomVersions.default,
      );
    }
    const prev = e.state_key !== null ? await repo.stateEvent(e.room_id, e.type, e.state_key) : undefined;
    await repo.insert({
      pos: await tx.nextPosition(),
      eventId: e.event_id,
      roomId: e.room_id,
      type: e.type,
      stateKey: e.state_key,
      sender: e.sender,
      content: e.content,
      prevContent: prev?.content ?? null,
      ts: e.origin_server_ts,
      txnDeviceId: e.txn?.device_id ?? null,
      txnId: e.txn?.txn_id ?? null,
    });
    // Stored without the room state cache of the transaction: it reads the room anew if asked.
    tx.roomState.forget(e.room_id);
    tx.notify(...(await repo.members(e.room_id, [Membership.Join, Membership.Invite])).filter(ours));
    if (e.type === EventType.RoomMember && ours(e.state_key)) tx.notify(e.state_key!);
  };
}
