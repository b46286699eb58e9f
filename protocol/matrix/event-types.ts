/** Matrix event types and membership values used by Callsign. Import these; never spell them inline. */
export const EventType = {
  RoomCreate: "m.room.create",
  RoomMember: "m.room.member",
  RoomPowerLevels: "m.room.power_levels",
  RoomJoinRules: "m.room.join_rules",
  RoomHistoryVisibility: "m.room.history_visibility",
  RoomGuestAccess: "m.room.guest_access",
  RoomName: "m.room.name",
  RoomTopic: "m.room.topic",
  RoomAvatar: "m.room.avatar",
  RoomCanonicalAlias: "m.room.canonical_alias",
  RoomEncryption: "m.room.encryption",
  RoomMessage: "m.room.message",
  Receipt: "m.receipt",
  Typing: "m.typing",
  Direct: "m.direct",
  CallInvite: "m.call.invite",
  CallAnswer: "m.call.answer",
  CallHangup: "m.call.hangup",
  CallCandidates: "m.call.candidates",
} as const;

export const Membership = {
  Join: "join",
  Invite: "invite",
  Leave: "leave",
  Ban: "ban",
  Knock: "knock",
} as const;
export type MembershipValue = (typeof Membership)[keyof typeof Membership];

/** Room versions this server creates and accepts; events are ordered by the hosting server. */
export const RoomVersions = { default: "10", available: ["10"] } as const;

/** Event types whose arrival counts towards a room's unread notification count. */
export const NotifyingEventTypes: readonly string[] = [EventType.RoomMessage, EventType.CallInvite];

/** State events an invited user sees before joining (`invite_state`). */
export const StrippedStateTypes: readonly string[] = [
  EventType.RoomCreate,
  EventType.RoomJoinRules,
  EventType.RoomName,
  EventType.RoomAvatar,
  EventType.RoomTopic,
  EventType.RoomCanonicalAlias,
  EventType.RoomEncryption,
];

/** An event as a client receives it (Matrix "ClientEvent"). */
export interface ClientEvent {
  event_id: string;
  room_id?: string;
  type: string;
  state_key?: string;
  sender: string;
  content: Record<string, unknown>;
  origin_server_ts: number;
  unsigned?: { age?: number; transaction_id?: string; prev_content?: Record<string, unknown> };
}

/** A state event as shown in `invite_state` (no id, no timestamp). */
export interface StrippedStateEvent {
  type: string;
  state_key: string;
  sender: string;
  content: Record<string, unknown>;
}
