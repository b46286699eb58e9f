/**
 * Who may send what into a room: a compact form of the Matrix authorization rules for rooms
 * that one server hosts and orders (no state resolution is needed, so the current state is the
 * state every event is checked against).
 */
import { ProtocolError } from "../../../../protocol/errors.js";
import { CALL_ROOM_TYPE, CALL_STATE_EVENT } from "../../../../protocol/callsign/calls.js";
import { EventType, Membership } from "../../../../protocol/matrix/event-types.js";

export interface PowerLevels {
  users: Record<string, number>;
  users_default: number;
  events: Record<string, number>;
  events_default: number;
  state_default: number;
  invite: number;
  kick: number;
  ban: number;
  redact: number;
}

export function powerLevels(content: Record<string, unknown> | undefined, creator: string): PowerLevels {
  const num = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) ? v : d);
  const c = content ?? {};
  return {
    users: (c.users as Record<string, number>) ?? (content ? {} : { [creator]: 100 }),
    users_default: num(c.users_default, 0),
    events: (c.events as Record<string, number>) ?? {},
    events_default: num(c.events_default, 0),
    state_default: num(c.state_default, 50),
    invite: num(c.invite, 0),
    kick: num(c.kick, 50),
    ban: num(c.ban, 50),
    redact: num(c.redact, 50),
  };
}

export const levelOf = (pl: PowerLevels, userId: string) => pl.users[userId] ?? pl.users_default;

export interface RoomView {
  creator: string;
  /** `type` of the create event's content (`io.callsign.call` for call rooms). */
  roomType: string | undefined;
  pl: PowerLevels;
  joinRule: string;
  guestAccess: boolean;
  membershipOf(userId: string): string | undefined;
}

const forbid = (msg: string) => new ProtocolError("M_FORBIDDEN", msg);

/** Throws M_FORBIDDEN unless `sender` may send this event in the room as it stands. */
export function authorize(
  room: RoomView,
  ev: { sender: string; type: string; stateKey: string | null; content: Record<string, unknown> },
  senderIsGuest: boolean,
): void {
  const senderMembership = room.membershipOf(ev.sender);
  const senderLevel = levelOf(room.pl, ev.sender);

  if (ev.type === EventType.RoomMember) {
    const target = ev.stateKey ?? "";
    const targetMembership = room.membershipOf(target);
    const membership = ev.content.membership;
    // In a call room the callee's invite is answered through the call (take, reply, decline),
    // never by joining or rejecting it: the call's state machine decides.
    if (room.roomType === CALL_ROOM_TYPE && target === ev.sender && targetMembership === Membership.Invite) {
      throw forbid("This is a call: take, reply to or decline it through /_callsign/client/v1/calls");
    }
    switch (membership) {
      case Membership.Join:
        if (target !== ev.sender) throw forbid("Cannot join on behalf of another user");
        if (targetMembership === Membership.Ban) throw forbid("You are banned from this room");
        if (senderIsGuest && !room.guestAccess) {
          throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guests may not join this room");
        }
        if (targetMembership === Membership.Join || targetMembership === Membership.Invite) return;
        if (room.joinRule === "public") return;
        throw forbid("You are not invited to this room");
      case Membership.Invite:
        if (senderIsGuest) throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guests may not invite");
        if (senderMembership !== Membership.Join) throw forbid("You are not in this room");
        if (targetMembership === Membership.Join) throw forbid(`${target} is already in the room`);
        if (targetMembership === Membership.Ban) throw forbid(`${target} is banned from the room`);
        if (senderLevel < room.pl.invite) throw forbid("You may not invite users to this room");
        return;
      case Membership.Leave:
        if (target === ev.sender) {
          if (targetMembership === Membership.Join || targetMembership === Membership.Invite) return;
          throw forbid("You are not in this room");
        }
        if (senderMembership !== Membership.Join) throw forbid("You are not in this room");
        if (targetMembership === Membership.Ban) {
          if (senderLevel < room.pl.ban) throw forbid("You may not unban users");
          return;
        }
        if (targetMembership !== Membership.Join && targetMembership !== Membership.Invite) {
          throw forbid(`${target} is not in the room`);
        }
        if (senderLevel < room.pl.kick || senderLevel <= levelOf(room.pl, target)) {
          throw forbid("You may not kick this user");
        }
        return;
      case Membership.Ban:
        if (senderMembership !== Membership.Join) throw forbid("You are not in this room");
        if (senderLevel < room.pl.ban || senderLevel <= levelOf(room.pl, target)) {
          throw forbid("You may not ban this user");
        }
        return;
      default:
        throw new ProtocolError("M_BAD_JSON", `Unsupported membership ${JSON.stringify(membership)}`);
    }
  }

  if (senderMembership !== Membership.Join) throw forbid("You are not in this room");
  if (ev.type === EventType.RoomCreate) throw forbid("The create event cannot be replaced");
  if (ev.type === CALL_STATE_EVENT) throw forbid("Only the server writes a call's state");
  if (ev.type === EventType.RoomEncryption) {
    throw forbid("Callsign rooms are never encrypted: the server anchors call media and moderates guests");
  }
  const needed =
    room.pl.events[ev.type] ?? (ev.stateKey !== null ? room.pl.state_default : room.pl.events_default);
  if (senderLevel < needed) throw forbid(`Sending ${ev.type} needs power level ${needed}`);
  if (ev.stateKey !== null && ev.stateKey.startsWith("@") && ev.stateKey !== ev.sender && senderLevel < 100) {
    throw forbid("State keyed by another user's ID may not be set");
  }
}
