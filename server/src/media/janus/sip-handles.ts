/**
 * The SIP plugin handles we hold (sip.ts): attached in an instance's control session, kept under
 * our own string IDs, introduced to the plugin, and followed — each plugin result read as the
 * progress of the handle's call (ringing, accepted, an incoming call, its end) and reported as a
 * `SipEvent` in order; a handle Janus drops, or loses with its instance, is reported gone.
 */
import { randomUUID } from "node:crypto";
import Janode from "janode";
import { JanusError, janusRequest } from "./errors.js";
import type { JanusInstance } from "./instance.js";
import type { SipAccount, SipEvent } from "./types.js";
import {
  newCall,
  RESULT,
  SipWithResults,
  type Call,
  type HowEnded,
  type SipLine,
  type SipResult,
} from "./sip-handle.js";

export class SipHandles {
  protected readonly byId = new Map<string, SipLine>();

  constructor(
    protected readonly timeoutMs: number,
    protected readonly emit: (event: SipEvent) => void,
  ) {}

  has(handleId: string): boolean {
    return this.byId.has(handleId);
  }

  /** How many SIP handles an instance holds for us (part of its load). */
  countOn(instance: string): number {
    let n = 0;
    for (const line of this.byId.values()) if (line.instance === instance) n++;
    return n;
  }

  protected async attach(instance: JanusInstance, registered: boolean): Promise<SipLine> {
    const { session } = instance.current();
    const handle = await janusRequest(
      instance.id,
      "attach sip",
      this.timeoutMs,
      session.attach(SipWithResults),
    );
    const line: SipLine = { id: randomUUID(), instance: instance.id, handle, registered };
    this.byId.set(line.id, line);
    handle.on(RESULT, (result: SipResult) => this.onResult(line, result));
    handle.on(Janode.EVENT.HANDLE_WEBRTCUP, () => {
      line.pcClosed = new Promise((resolve) => handle.once(Janode.EVENT.HANDLE_HANGUP, () => resolve()));
    });
    // Detached by Janus, or with the session (ours are no longer in byId).
    handle.once(Janode.EVENT.HANDLE_DETACHED, () => {
      if (this.byId.get(line.id) === line) this.lost(line, "Janus dropped the SIP handle");
    });
    return line;
  }

  /**
   * The plugin's `register`: without a REGISTER for a call (a guest without a password, else
   * the credentials are kept for the PBX's challenges to the INVITE), with one for a line.
   */
  protected async introduce(line: SipLine, account: SipAccount, sendRegister: boolean): Promise<void> {
    line.handle.authUser = account.username;
    const credentials =
      account.password === undefined
        ? { type: "guest" as const }
        : { secret: account.password, send_register: sendRegister };
    await this.request(
      line,
      "register",
      line.handle.register({
        username: account.uri,
        ...(account.displayName && { display_name: account.displayName }),
        ...(account.proxy && { proxy: account.proxy, outbound_proxy: account.proxy }),
        ...credentials,
      }),
    );
  }

  protected onResult(line: SipLine, result: SipResult): void {
    if (result.event === "incomingcall") return this.incoming(line, result);
    const call = line.call;
    if (call && !call.callId) call.callId = result.callId;
    if (!call || call.over || (result.callId && result.callId !== call.callId)) return;
    const answer = result.jsep?.type === "answer" && !call.answerSent ? result.jsep.sdp : undefined;
    // `progress` is a 183 with an answer: early media, which the WebRTC side can play now.
    // `proceeding` is any 1xx, 180 and 183 among them.
    const rings =
      result.event === "ringing" ||
      result.event === "progress" ||
      (result.event === "proceeding" && (result.code === 180 || result.code === 183));
    if (rings && (!call.ringing || answer)) {
      call.ringing = true;
      call.answerSent ||= answer !== undefined;
      this.tell(line, { handleId: line.id, event: "ringing", ...(answer && { answerSdp: answer }) });
    } else if (result.event === "accepted") {
      call.accepted = true;
      call.answerSent ||= answer !== undefined;
      this.tell(line, { handleId: line.id, event: "accepted", ...(answer && { answerSdp: answer }) });
    } else if (result.event === "hangup") {
      void this.ended(line, call, { code: result.code, reason: result.reason });
    }
  }

  protected incoming(line: SipLine, result: SipResult): void {
    // Janus answers 486 itself to a second call while one is on the handle.
    if (line.call && !line.call.over) return;
    // An offerless INVITE would need our offer in the 200 OK: not supported, so declined.
    if (!line.registered || result.jsep?.type !== "offer") {
      void line.handle.decline().catch(() => undefined);
      return;
    }
    line.call = newCall("in", result.callId);
    this.tell(line, {
      handleId: line.id,
      event: "incoming",
      from: result.username ?? "",
      ...(result.displayname && { displayName: result.displayname }),
      to: result.callee ?? "",
      offerSdp: result.jsep.sdp,
    });
  }

  /** The call is over: a call's handle is detached, then the hang-up reported. Once per call. */
  protected async ended(line: SipLine, call: Call, how: HowEnded): Promise<void> {
    if (call.over) return call.ended;
    call.over = true;
    if (!line.registered) await this.detach(line);
    else if (line.pcClosed) {
      // Janus answers 486 to the line's next call until the last one's PeerConnection is closed.
      const closed = line.pcClosed;
      await janusRequest(line.instance, "close the PeerConnection", this.timeoutMs, closed).catch(
        () => undefined,
      );
    } else if (call.direction === "in") {
      // Declined or cancelled before any media: the PeerConnection its offer began is closed
      // here, or Janus answers 486 to the line's next call.
      await janusRequest(
        line.instance,
        "close the PeerConnection",
        this.timeoutMs,
        line.handle.hangup(),
      ).catch(() => undefined);
    }
    this.report(line, call, how);
  }

  /** The handle is gone without us (Janus dropped it, or its instance was lost). */
  protected lost(line: SipLine, reason: string): void {
    this.byId.delete(line.id);
    line.detached = Promise.resolve();
    const call = line.call && !line.call.over ? line.call : undefined;
    if (call) call.over = true;
    // A line without a call still says it is gone; a call not yet made rejects instead.
    if (call || line.registered) this.report(line, call, { reason });
  }

  protected report(line: SipLine, call: Call | undefined, how: HowEnded): void {
    call?.settle();
    this.tell(line, {
      handleId: line.id,
      event: "hangup",
      ...(how.code !== undefined && { code: how.code }),
      ...(how.reason !== undefined && { reason: how.reason }),
    });
  }

  protected tell(line: SipLine, event: SipEvent): void {
    if (line.held) line.held.push(event);
    else this.emit(event);
  }

  /** Detaches the handle once; Janus ends whatever call it still had. */
  protected detach(line: SipLine): Promise<void> {
    if (this.byId.get(line.id) === line) this.byId.delete(line.id);
    line.detached ??= janusRequest(line.instance, "detach", this.timeoutMs, line.handle.detach()).catch(
      () => undefined,
    );
    return line.detached;
  }

  protected get(handleId: string): SipLine {
    const line = this.byId.get(handleId);
    if (!line)
      throw new JanusError(`no SIP handle ${handleId} (its call ended, or its instance went down)`, "");
    return line;
  }

  protected request<T>(line: SipLine, what: string, request: Promise<T>): Promise<T> {
    return janusRequest(line.instance, what, this.timeoutMs, request);
  }
}
