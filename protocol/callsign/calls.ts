/**
 * Calls: the lifecycle every call goes through, the state event that carries it in the call's
 * room, and the views the extension API returns. `spec/calls.md` documents these; the server's
 * one state machine enforces `CallTransitions`.
 */

/** Room type (in `m.room.create` content `type`) of a call's room. */
export const CALL_ROOM_TYPE = "io.callsign.call";

/** State event (state key "") holding the call's current state; updated on every transition. */
export const CALL_STATE_EVENT = "io.callsign.call";

/** Account data the server keeps per subscriber: unread inbox counts, so `/sync` wakes on news. */
export const INBOX_ACCOUNT_DATA = "io.callsign.inbox";

export const CallState = {
  /** The callee is offline: the caller may leave an SMS; otherwise the call becomes missed. */
  Offline: "offline",
  /** Waiting in the callee's queue (ringing). */
  Queued: "queued",
  /** Taken: both sides are in the call room. */
  Answered: "answered",
  Replied: "replied",
  Declined: "declined",
  Cancelled: "cancelled",
  Missed: "missed",
  LeftSms: "left_sms",
  Ended: "ended",
} as const;
export type CallStateValue = (typeof CallState)[keyof typeof CallState];

/** Every allowed transition; anything else is refused with IO_CALLSIGN_BAD_TRANSITION. */
export const CallTransitions: Record<CallStateValue, readonly CallStateValue[]> = {
  // A callee who comes online while the caller decides may still answer.
  offline: [CallState.LeftSms, CallState.Missed, CallState.Answered, CallState.Replied, CallState.Declined],
  queued: [
    CallState.Answered,
    CallState.Replied,
    CallState.Declined,
    CallState.Cancelled,
    CallState.Missed,
    CallState.LeftSms,
  ],
  answered: [CallState.Ended],
  replied: [],
  declined: [],
  cancelled: [],
  missed: [],
  left_sms: [],
  ended: [],
};

export const isFinal = (s: CallStateValue) => CallTransitions[s].length === 0;

/** A party of a call or an SMS as clients show it. */
export interface PartyView {
  user_id: string;
  display_name: string | null;
  /** The 9-digit number; absent for guests. */
  number?: string;
  is_guest: boolean;
  /** A Webcam service (its calls are answered by its operators). */
  is_service: boolean;
  /** A party of another provider: that provider's server name (absent for this provider's). */
  provider?: string;
  /** How a party of another provider is dialled from here (`<number>@<provider>`); absent for guests. */
  handle?: string;
}

/** One move of a call to another queue. */
export interface HopView {
  /** The queue (a service, or an operator's own) the call left and the one it went to. */
  from: PartyView;
  to: PartyView;
  /** The operator who transferred it. */
  by: PartyView;
  note: string | null;
  at: number;
}

/** What points back to where a call-back or a reply came from. */
export interface BackReference {
  kind: "call" | "sms";
  id: string;
}

/**
 * Where a call to a service with a SIP trunk stands on the company's PBX: `waiting` — the
 * caller's client should publish now, which rings the PBX; `ringing`; `answered` by the PBX.
 */
export const PbxState = { Waiting: "waiting", Ringing: "ringing", Answered: "answered" } as const;
export type PbxStateValue = (typeof PbxState)[keyof typeof PbxState];

/** Content of the `io.callsign.call` state event, and the body of every call answer. */
export interface CallView {
  call_id: string;
  room_id: string;
  state: CallStateValue;
  caller: PartyView;
  callee: PartyView;
  /** Who answered for a service (the callee is then the service); null otherwise. */
  operator: PartyView | null;
  /** The service the call is at (its `callee`), or null for a call to a person. */
  service_id: string | null;
  /** The handle as the caller dialled it. */
  target: string;
  topic: string | null;
  tag: string | null;
  /** 1-based place in the callee's queue while queued. */
  position: number | null;
  /** Whether the caller may publish video (never for guests; enforced by the media layer). */
  video: boolean;
  /** The callee's text reply, when the call ended as replied. */
  reply: string | null;
  /** The decline reason, when given; or why the server ended the call (the plan's longest call). */
  reason: string | null;
  /** The SMS left instead of talking (state left_sms). */
  sms_id: string | null;
  callback_of: BackReference | null;
  /** The call's transfers, oldest first (spec/services.md "Transfer"). */
  hops: HopView[];
  /** The call on the service's PBX, when it is sent there; null otherwise. */
  pbx: PbxStateValue | null;
  /**
   * The SIP address of the PBX extension that placed the call, when it came from a company's
   * phone system (spec/services.md "Calls from your PBX"): its media is answered, not subscribed.
   */
  from_pbx: string | null;
  /** Seconds an answered call may last (the service's plan); null when there is no limit. */
  limit_s: number | null;
  created_at: number;
  answered_at: number | null;
  ended_at: number | null;
}

export interface SmsView {
  sms_id: string;
  from: PartyView;
  to: PartyView;
  topic: string | null;
  text: string;
  /** The call this SMS was left on, if any. */
  call_id: string | null;
  reply_to: string | null;
  /** The sender asked to be called back. */
  call_back: boolean;
  created_at: number;
  read: boolean;
}

export interface InboxView {
  sms: SmsView[];
  missed: (CallView & { read: boolean })[];
  unread: { sms: number; missed: number };
}

export interface InboxOptions {
  /** Incoming calls on/off. */
  calls: boolean;
  /** Calls from guests (anonymous callers). */
  anonymous: boolean;
  /** Calls without a topic ("one click"); off means a topic is required. */
  one_click: boolean;
  /** A guest's call without a topic must solve a captcha (when anonymous and one-click are on). */
  captcha: boolean;
}

export const DefaultInboxOptions: InboxOptions = {
  calls: true,
  anonymous: true,
  one_click: true,
  captcha: true,
};

export interface TagView {
  name: string;
  topic: string | null;
  anonymous: boolean;
  one_click: boolean;
  expires_at: number;
  expired: boolean;
  /** Path of the tag's call link, e.g. `/call/100000001/support`. */
  link: string;
}

/** What a handle resolves to, as call links and the dial box show it. */
export interface HandleView {
  /** A person, or a Webcam service (answered by its operators). */
  kind: "subscriber" | "service";
  handle: string;
  user: PartyView;
  online: boolean;
  /** Within its operating hours (always true for people); a closed service is not online. */
  open: boolean;
  /** A service paused for an unpaid subscription: calls are refused with IO_CALLSIGN_SERVICE_PAUSED. */
  paused: boolean;
  /** The rules a caller meets, with the tag's preset applied when a tag is given. */
  accepts: { calls: boolean; anonymous: boolean; one_click: boolean; captcha_for_guests: boolean };
  tag: { name: string; topic: string | null; expires_at: number } | null;
}
