/** The Janus facade's public shapes: what calls (F21) and the SIP bridge (F22) will hold. */

/** One Janus server the homeserver drives. */
export interface JanusInstanceConfig {
  /** Our name for it, in room references, events and logs. */
  id: string;
  /** Janus API websocket, e.g. `ws://10.0.0.2:8188`. */
  url: string;
  /** Its `api_secret`. */
  apiSecret: string;
  /** Admin API websocket, e.g. `ws://10.0.0.2:7188`. */
  adminUrl: string;
  /** Its `admin_secret`. */
  adminSecret: string;
  /** The videoroom `admin_key`: creates rooms and lists private ones. */
  roomAdminKey: string;
}

export interface JanusPoolOptions {
  instances: JanusInstanceConfig[];
  /** First reconnection delay; doubles per failure up to `reconnectMaxMs`, with jitter. Default 500. */
  reconnectBaseMs?: number;
  /** Longest reconnection delay. Default 15 000. */
  reconnectMaxMs?: number;
  /** A request Janus has not answered by then fails (the call can then be ended). Default 10 000. */
  requestTimeoutMs?: number;
  /** Seconds between session keep-alives; Janus drops a session after `session_timeout` (60). Default 15. */
  keepAliveSecs?: number;
  /** Where the pool says that an instance went down or came back. Default: silent. */
  logger?: JanusLogger;
}

/** The subset of pino's Logger the pool writes to. */
export interface JanusLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** A room: the instance that holds it and Janus's room number there. */
export interface JanusRoomRef {
  instance: string;
  room: number;
}

export interface CreateRoomOptions {
  /** The room's secret (needed to destroy it); the pool keeps it. */
  secret: string;
  /** The videoroom admin key; default the instance's `roomAdminKey`. */
  adminKey?: string;
  /** Seen in `listRooms`; default "callsign". */
  description?: string;
}

export interface PublishOptions {
  /** The participant's display name in the room. */
  display: string;
  /** The peer's SDP offer (audio and/or video). */
  offerSdp: string;
  /** false: Janus relays none of this publisher's video, whatever arrives (guests). */
  video?: boolean;
}

export interface PublishResult {
  /** Our id of the Janus handle: for trickle and leave. */
  handleId: string;
  /** The publisher's feed in the room: what others subscribe to. */
  feedId: number;
  answerSdp: string;
}

export interface SubscribeResult {
  handleId: string;
  /** Janus's offer; the peer's answer goes to `startSubscription`. */
  offerSdp: string;
}

/** A peer's ICE candidate as a browser's RTCIceCandidate gives it. */
export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

/** A room as the videoroom `list` request reports it. */
export interface JanusRoomInfo {
  room: number;
  description: string;
  participants: number;
  maxPublishers: number;
  audioCodec?: string;
  videoCodec?: string;
}

/** What the admin API shows of an instance, and which of it is the pool's own. */
export interface JanusInstanceInventory {
  /** Every session on the instance, with its handles. */
  sessions: { id: number; handles: number[] }[];
  /** The pool's control session and its room-management handle. */
  own: { session: number; handle: number };
}

export interface JanusInstanceStatus {
  id: string;
  up: boolean;
  rooms: number;
  handles: number;
}

export interface JanusPoolEvents {
  /**
   * An instance was lost (its connection or session): its rooms and handles are gone for us.
   * Calls anchored on those rooms should end with `reason`.
   */
  instanceDown: [{ instance: string; reason: string; rooms: JanusRoomRef[]; handles: string[] }];
  /** An instance (re)connected and takes new rooms. */
  instanceUp: [{ instance: string }];
}
