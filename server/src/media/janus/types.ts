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

/** The SIP identity the bridge to a PBX (F22) calls as, and registers as for incoming calls. */
export interface SipAccount {
  /** Our SIP URI, e.g. `sip:desk@pbx.example`: the From of our calls, the address we register. */
  uri: string;
  /**
   * Where all SIP goes (outbound proxy, and registrar), e.g. `sip:10.0.0.5:5060`. Default: the
   * host of the URI called (or, when registering, of `uri`).
   */
  proxy?: string;
  /** The user to authenticate as when the PBX challenges. Default: the user part of `uri`. */
  username?: string;
  /** Without it a call goes out unauthenticated (Janus's "guest"), and `sipRegister` is refused. */
  password?: string;
  /** Shown to the called party. Default: none. */
  displayName?: string;
}

export interface SipCallOptions {
  /** Who calls. No REGISTER is sent for an outbound call, so the account's own calls still ring where they did. */
  account: SipAccount;
  /** The SIP URI to ring, e.g. `sip:200@pbx.example`. */
  to: string;
  /** The WebRTC caller's offer (audio; Janus passes its codecs on to the SIP side untranscoded). */
  offerSdp: string;
}

/** What happens on a SIP handle, as the pool's `sip` event reports it. */
export type SipEvent =
  /**
   * The far end rings (180), or plays early media (183 with an answer: then `answerSdp` is
   * Janus's answer for the WebRTC side, and `accepted` brings none).
   */
  | { handleId: string; event: "ringing"; answerSdp?: string }
  /** The call is answered; for an outbound call `answerSdp` is Janus's answer for the WebRTC side. */
  | { handleId: string; event: "accepted"; answerSdp?: string }
  /**
   * The call is over: the far end hung up or refused (`code` is the SIP status Janus gives, e.g.
   * 486, 487 for a call cancelled), we did, or the handle was lost with its instance (then a
   * registered handle is gone too, with or without a call). A call's handle is detached by then;
   * a registered handle stays registered for the next call.
   */
  | { handleId: string; event: "hangup"; code?: number; reason?: string }
  /**
   * A call to a registered account; answer with `sipAccept`, refuse or end it with `sipHangup`.
   * `to` is the address the far end dialled (its To), `from` and `displayName` who calls.
   */
  | {
      handleId: string;
      event: "incoming";
      from: string;
      displayName?: string;
      to: string;
      offerSdp: string;
    };

export interface JanusPoolEvents {
  /**
   * An instance was lost (its connection or session): its rooms and handles are gone for us.
   * Calls anchored on those rooms should end with `reason`.
   */
  instanceDown: [{ instance: string; reason: string; rooms: JanusRoomRef[]; handles: string[] }];
  /** An instance (re)connected and takes new rooms. */
  instanceUp: [{ instance: string }];
  /** Progress of the SIP calls made with `sipCall`, and calls to accounts registered with `sipRegister`. */
  sip: [SipEvent];
}
