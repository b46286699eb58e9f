/** The shape of a `GET /sync` response (the parts Callsign fills). */
import type { ClientEvent, StrippedStateEvent } from "./event-types.js";

export interface BasicEvent {
  type: string;
  content: Record<string, unknown>;
}

export interface JoinedRoomSync {
  timeline: { events: ClientEvent[]; limited: boolean; prev_batch: string };
  state: { events: ClientEvent[] };
  ephemeral: { events: BasicEvent[] };
  account_data: { events: BasicEvent[] };
  unread_notifications: { notification_count: number; highlight_count: number };
  summary?: { "m.heroes"?: string[]; "m.joined_member_count"?: number; "m.invited_member_count"?: number };
}

export interface InvitedRoomSync {
  invite_state: { events: StrippedStateEvent[] };
}

export interface LeftRoomSync {
  timeline: { events: ClientEvent[]; limited: boolean; prev_batch: string };
  state: { events: ClientEvent[] };
  account_data: { events: BasicEvent[] };
}

export interface SyncResponse {
  next_batch: string;
  rooms: {
    join: Record<string, JoinedRoomSync>;
    invite: Record<string, InvitedRoomSync>;
    leave: Record<string, LeftRoomSync>;
  };
  account_data: { events: BasicEvent[] };
  to_device: { events: (BasicEvent & { sender: string })[] };
  presence: { events: BasicEvent[] };
  device_lists: { changed: string[]; left: string[] };
  device_one_time_keys_count: Record<string, number>;
}
