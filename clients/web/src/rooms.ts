/** Read-only helpers over matrix-js-sdk rooms, shared by the room list and the room view. */
import { EventType, KnownMembership, type MatrixEvent, type Room } from "matrix-js-sdk";
import { CALL_ROOM_TYPE, CALL_STATE_EVENT } from "../../../protocol/callsign/calls.js";

const LISTED_MEMBERSHIPS = new Set<string>([KnownMembership.Join, KnownMembership.Invite]);

export function isInvite(room: Room): boolean {
  return room.getMyMembership() === KnownMembership.Invite;
}

/** A call's room: shown on the call screen and in the queue, not among the chats. */
export function isCallRoom(room: Room): boolean {
  return room.getType() === CALL_ROOM_TYPE || room.currentState.getStateEvents(CALL_STATE_EVENT, "") !== null;
}

/** Chats the user is in or invited to: invites first, then the most recently active. */
export function visibleRooms(rooms: Room[]): Room[] {
  return rooms
    .filter((room) => LISTED_MEMBERSHIPS.has(room.getMyMembership()) && !isCallRoom(room))
    .sort(
      (a, b) =>
        Number(isInvite(b)) - Number(isInvite(a)) || b.getLastActiveTimestamp() - a.getLastActiveTimestamp(),
    );
}

/** The name shown for a room; an invite names who sent it. */
export function roomTitle(room: Room): string {
  if (isInvite(room)) return `Invitation from ${inviterName(room)}`;
  return room.name || room.roomId;
}

export function inviterName(room: Room): string {
  const own = room.getMember(room.myUserId);
  const inviter = room.getDMInviter() ?? own?.events.member?.getSender();
  if (!inviter) return "someone";
  return room.getMember(inviter)?.name ?? inviter;
}

/** The text messages of the live timeline, oldest first. */
export function textMessages(room: Room): MatrixEvent[] {
  return room
    .getLiveTimeline()
    .getEvents()
    .filter(
      (event) => event.getType() === EventType.RoomMessage && typeof event.getContent().body === "string",
    );
}

/** The last message's text, for the room list preview. */
export function lastMessagePreview(room: Room): string {
  const last = textMessages(room).at(-1);
  return last ? String(last.getContent().body) : "";
}
