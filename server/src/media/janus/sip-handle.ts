/**
 * The pieces of a SIP plugin handle (sip.ts): janode's SIP handle, subclassed because it keeps
 * some events to itself (a hang-up's SIP code and reason, an `accepted` after its 120 s wait)
 * and has no `authuser` on register; and the state of one call and one line.
 */
import type { JanusMessage } from "janode";
import SipPlugin from "janode/plugins/sip";
import type { SipEvent } from "./types.js";

/** A SIP plugin event as Janus sends it: `plugindata.data.result`, its call and its SDP. */
export interface SipResult {
  event: string;
  code?: number;
  reason?: string;
  username?: string;
  displayname?: string;
  /** A registration's ID in the plugin, which helpers name to take calls beside it. */
  master_id?: number;
  callee?: string;
  callId?: string;
  jsep?: { type: string; sdp: string };
}

export const RESULT = "callsign_sip_result";

export class ReportingSipHandle extends SipPlugin.Handle {
  /** Sent as `authuser` with the next register request. */
  authUser: string | undefined;
  /** The SIP status of the next decline (Janus's default: 486 Busy Here). */
  declineCode: number | undefined;
  /** Sent as `master_id` with a helper's register request. */
  masterId: number | undefined;

  /** Ours first: janode settles its requests after, so an event is seen before a request it ends. */
  override handleMessage(message: JanusMessage): unknown {
    const data = (message.plugindata as { data?: { result?: SipResult; call_id?: string } } | undefined)
      ?.data;
    if (data?.result?.event)
      this.emit(RESULT, { ...data.result, callId: data.call_id, jsep: message.jsep as SipResult["jsep"] });
    return super.handleMessage(message);
  }

  override decorateRequest(request: { body?: Record<string, unknown> }): void {
    if (request.body?.request === "register" && this.authUser) request.body.authuser = this.authUser;
    if (request.body?.request === "decline" && this.declineCode) request.body.code = this.declineCode;
    if (request.body?.request === "register" && this.masterId !== undefined)
      request.body.master_id = this.masterId;
    super.decorateRequest(request);
  }
}

export const SipWithResults = { ...SipPlugin, Handle: ReportingSipHandle };

export interface Call {
  direction: "out" | "in";
  /** SIP Call-ID: a late event of an earlier call on a line is not this call's. */
  callId?: string;
  ringing: boolean;
  accepted: boolean;
  /** Janus's answer went out with an event already (early media, or the 200's). */
  answerSent: boolean;
  over: boolean;
  /** Settles once the call is over and reported (and a call's handle detached). */
  ended: Promise<void>;
  settle: () => void;
}

export interface SipLine {
  id: string;
  instance: string;
  handle: ReportingSipHandle;
  /** Registered for incoming calls (or a helper of a registration): outlives its calls. */
  registered: boolean;
  /** A registration's helpers: each takes one more call at a time; they go with it. */
  helpers?: SipLine[];
  call?: Call;
  /** Events kept until `call` has given the caller the handle's id. */
  held?: SipEvent[];
  /** Settles when Janus has closed the PeerConnection that last came up on the handle. */
  pcClosed?: Promise<void>;
  detached?: Promise<void>;
}

export type HowEnded = { code?: number; reason?: string };

export function newCall(direction: Call["direction"], callId: string | undefined): Call {
  let settle: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (settle = resolve));
  return {
    direction,
    callId,
    ringing: false,
    accepted: false,
    answerSent: false,
    over: false,
    ended,
    settle,
  };
}
