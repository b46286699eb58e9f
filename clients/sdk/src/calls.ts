/**
 * The Callsign calls API (`/_callsign/client/v1`): placing calls to a handle, the callee's queue,
 * the inbox of SMS and missed calls, inbox options and tags. Call state changes also arrive as
 * `io.callsign.call` state events in the call's room through Matrix sync; these methods are for
 * what a Matrix client cannot say.
 */
import type { z } from "zod";
import type {
  CallView,
  HandleView,
  InboxOptions,
  InboxView,
  SmsView,
  TagView,
} from "../../../protocol/callsign/calls.js";
import type {
  CallBackRequest,
  CreateTagRequest,
  DeclineRequest,
  InboxOptionsRequest,
  MarkReadRequest,
  PlaceCallRequest,
  SmsRequest,
} from "../../../protocol/callsign/requests.js";
import { CallsignRoutes } from "../../../protocol/callsign/routes.js";
import { ProtocolError } from "../../../protocol/errors.js";
import { solveCaptcha, type CaptchaChallenge } from "./captcha.js";
import { requestJson } from "./http.js";
import { routePath } from "./route-path.js";

export type PlaceCall = z.input<typeof PlaceCallRequest>;
export type CreateTag = z.input<typeof CreateTagRequest>;
export type InboxOptionsUpdate = z.input<typeof InboxOptionsRequest>;
export type MarkRead = z.input<typeof MarkReadRequest>;

/**
 * A typed client of the calls API for one account (or none: `handle()` works signed out).
 * Every method rejects with a `ProtocolError` carrying the server's `errcode`, message and extra
 * fields (`captcha`, `call_id`, `retry_after_ms`, …).
 *
 * @example
 * const api = new CallsignApi("https://telco-a.example", accessToken);
 * const call = await api.placeCallSolvingCaptcha({ handle: "100000001", topic: "Invoice 42" });
 * if (call.state === "offline") await api.leaveSms(call.call_id, "Please call me back");
 */
export class CallsignApi {
  /**
   * @param baseUrl the homeserver's base URL, e.g. `https://telco-a.example`
   * @param accessToken the account's access token; omit for signed-out look-ups
   */
  constructor(
    readonly baseUrl: string,
    readonly accessToken?: string,
  ) {}

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.baseUrl, method, path, body, this.accessToken);
  }

  /** What a handle (number, e-mail or user name) resolves to, with a tag's preset when given. */
  handle(handle: string, tag?: string): Promise<HandleView> {
    const query = tag ? `?tag=${encodeURIComponent(tag)}` : "";
    return this.send("GET", routePath(CallsignRoutes.handle, { handle }) + query);
  }

  /** Places a call; answers `queued` (with `position`) or `offline`. */
  placeCall(request: PlaceCall): Promise<CallView> {
    return this.send("POST", routePath(CallsignRoutes.calls), request);
  }

  /**
   * Places a call, and when the server answers `IO_CALLSIGN_CAPTCHA_REQUIRED` solves the
   * proof-of-work challenge it sent and places the call again with the solution.
   */
  async placeCallSolvingCaptcha(request: PlaceCall): Promise<CallView> {
    try {
      return await this.placeCall(request);
    } catch (error) {
      if (!(error instanceof ProtocolError) || error.errcode !== "IO_CALLSIGN_CAPTCHA_REQUIRED") throw error;
      const challenge = error.extra.captcha as CaptchaChallenge | undefined;
      if (!challenge) throw error;
      return this.placeCall({ ...request, captcha: await solveCaptcha(challenge) });
    }
  }

  getCall(callId: string): Promise<CallView> {
    return this.send("GET", routePath(CallsignRoutes.call, { callId }));
  }

  /** The caller gives up: a queued call becomes cancelled, an offline one missed. */
  cancel(callId: string): Promise<CallView> {
    return this.send("POST", routePath(CallsignRoutes.callCancel, { callId }), {});
  }

  /**
   * The caller of an offline subscriber (or a closed service) leaves an SMS; the call's topic goes
   * with it. `callBack` (default false) asks to be called back: registered callers only, a guest
   * asking is refused with 400 `IO_CALLSIGN_NOT_SUBSCRIBER`.
   */
  leaveSms(callId: string, text: string, callBack = false): Promise<CallView> {
    const body: z.input<typeof SmsRequest> = { text, ...(callBack && { call_back: true }) };
    return this.send("POST", routePath(CallsignRoutes.callSms, { callId }), body);
  }

  /** The callee answers a queued call in text; this ends the call. */
  reply(callId: string, text: string): Promise<CallView> {
    return this.send("POST", routePath(CallsignRoutes.callReply, { callId }), { text });
  }

  decline(callId: string, reason?: string): Promise<CallView> {
    const body: z.input<typeof DeclineRequest> = reason ? { reason } : {};
    return this.send("POST", routePath(CallsignRoutes.callDecline, { callId }), body);
  }

  /** The callee takes the first call of the queue (`IO_CALLSIGN_NOT_HEAD` for any other). */
  take(callId: string): Promise<CallView> {
    return this.send("POST", routePath(CallsignRoutes.callTake, { callId }), {});
  }

  /** Either side hangs up an answered call. */
  end(callId: string): Promise<CallView> {
    return this.send("POST", routePath(CallsignRoutes.callEnd, { callId }), {});
  }

  /** Calls back the other side of a missed call (only when that side is a subscriber). */
  callBack(callId: string, topic?: string): Promise<CallView> {
    const body: z.input<typeof CallBackRequest> = topic ? { topic } : {};
    return this.send("POST", routePath(CallsignRoutes.callCallBack, { callId }), body);
  }

  /** The callee's waiting calls, first in the queue first. */
  queue(): Promise<{ calls: CallView[] }> {
    return this.send("GET", routePath(CallsignRoutes.queue));
  }

  inbox(): Promise<InboxView> {
    return this.send("GET", routePath(CallsignRoutes.inbox));
  }

  markRead(ids: MarkRead): Promise<Record<string, never>> {
    return this.send("POST", routePath(CallsignRoutes.inboxRead), ids);
  }

  /** Sends an SMS back to the sender of one (`IO_CALLSIGN_NOT_SUBSCRIBER` for a guest's). */
  replyToSms(smsId: string, text: string): Promise<SmsView> {
    return this.send("POST", routePath(CallsignRoutes.smsReply, { smsId }), { text });
  }

  /** Calls the sender of an SMS. */
  callBackSms(smsId: string, topic?: string): Promise<CallView> {
    const body: z.input<typeof CallBackRequest> = topic ? { topic } : {};
    return this.send("POST", routePath(CallsignRoutes.smsCallBack, { smsId }), body);
  }

  inboxOptions(): Promise<InboxOptions> {
    return this.send("GET", routePath(CallsignRoutes.inboxOptions));
  }

  /** Changes the given options only; answers all of them. */
  setInboxOptions(options: InboxOptionsUpdate): Promise<InboxOptions> {
    return this.send("PUT", routePath(CallsignRoutes.inboxOptions), options);
  }

  tags(): Promise<{ tags: TagView[] }> {
    return this.send("GET", routePath(CallsignRoutes.tags));
  }

  /** Creates a tag; `expires_at` is in milliseconds since the epoch and must be in the future. */
  createTag(tag: CreateTag): Promise<TagView> {
    return this.send("POST", routePath(CallsignRoutes.tags), tag);
  }

  deleteTag(name: string): Promise<Record<string, never>> {
    return this.send("DELETE", routePath(CallsignRoutes.tag, { name }));
  }
}
