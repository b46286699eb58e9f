/**
 * SIP calls through Janus's SIP plugin (F22: a company's PBX gets calls from Callsign). Janus
 * holds both legs: the WebRTC caller's PeerConnection, and plain RTP with the PBX, relayed
 * without transcoding (so the caller's codecs, Opus from a browser, are what the PBX is offered).
 * Each SIP plugin handle lives in its instance's control session and is kept here under our own
 * string id, like a room participant.
 *
 * Two kinds of handle:
 * - a call (`call`): a handle of its own that introduces itself to the plugin without a REGISTER
 *   (as a guest, or with the account's credentials kept for the PBX's challenges), sends the
 *   INVITE and is detached once the call ends, whoever ends it;
 * - a line (`register`): sends a REGISTER so that the PBX rings us, takes one call at a time,
 *   and stays registered until `unregister`.
 *
 * Progress is reported from the plugin's events as Janus sends them. janode's own SIP handle
 * keeps some of them to itself (a hang-up's SIP code and reason, an `accepted` arriving after
 * its 120 s wait for the answer) and has no `authuser` on register: a subclass adds both.
 */
import { randomUUID } from "node:crypto";
import Janode from "janode";
import { JanusError, janusRequest } from "./errors.js";
import type { JanusInstance } from "./instance.js";
import type { IceCandidate, SipAccount, SipCallOptions, SipEvent } from "./types.js";
import {
  newCall,
  RESULT,
  SipWithResults,
  type Call,
  type HowEnded,
  type SipLine,
  type SipResult,
} from "./sip-handle.js";

export class SipLines {
  private readonly byId = new Map<string, SipLine>();

  constructor(
    private readonly timeoutMs: number,
    private readonly emit: (event: SipEvent) => void,
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

  /**
   * Rings `to` with the caller's offer; resolves once Janus took the call on (its first event:
   * usually `calling`, though the far end's ringing or refusal may overtake it), and reports
   * what happens from the next turn on, so the caller knows the handle by then; every call
   * taken on ends with a `hangup`. Rejects, leaving nothing in Janus and reporting nothing, when
   * Janus refuses the request.
   */
  async call(instance: JanusInstance, opts: SipCallOptions): Promise<string> {
    const line = await this.attach(instance, false);
    const held: SipEvent[] = [];
    line.held = held;
    try {
      await this.introduce(line, opts.account, false);
      const taken = new Promise<void>((resolve) => line.handle.once(RESULT, () => resolve()));
      line.call = newCall("out", undefined);
      const sent = line.handle.call({ uri: opts.to, jsep: { type: "offer", sdp: opts.offerSdp } });
      // Its outcome (answered, refused, janode's 120 s wait over) comes as events.
      sent.catch(() => undefined);
      await this.request(line, "call", Promise.race([taken, sent]));
    } catch (error) {
      await this.detach(line);
      throw error;
    }
    setImmediate(() => {
      // Events arriving meanwhile join the queue, so the order holds.
      for (const event of held) this.emit(event);
      line.held = undefined;
    });
    return line.id;
  }

  /**
   * Registers `account` at its registrar; calls to it come as `incoming` events on the handle
   * returned, or — while it has a call — on one of its `helpers` (Janus's helper sessions: each
   * takes one more call at a time), whose IDs are returned with it.
   */
  async register(
    instance: JanusInstance,
    account: SipAccount,
    helpers: number,
  ): Promise<{ handleId: string; helperIds: string[] }> {
    if (account.password === undefined)
      throw new JanusError("sipRegister: Janus sends a REGISTER only with a password", instance.id);
    const line = await this.attach(instance, true);
    line.helpers = [];
    try {
      const masterId = new Promise<number | undefined>((resolve) =>
        line.handle.on(RESULT, (r: SipResult) => r.event === "registered" && resolve(r.master_id)),
      );
      await this.introduce(line, account, true);
      const id = await masterId;
      if (id === undefined)
        throw new JanusError("Janus named no master_id for the registration", instance.id);
      for (let i = 0; i < helpers; i++) {
        const helper = await this.attach(instance, true);
        line.helpers.push(helper);
        helper.handle.masterId = id;
        await this.request(
          helper,
          "register a helper",
          helper.handle.register({ type: "helper", username: account.uri }),
        );
      }
      return { handleId: line.id, helperIds: line.helpers.map((h) => h.id) };
    } catch (error) {
      await Promise.all([line, ...line.helpers].map((l) => this.detach(l)));
      throw error;
    }
  }

  /** Answers the incoming call on a registered handle with the WebRTC side's answer. */
  async accept(handleId: string, answerSdp: string): Promise<void> {
    const line = this.get(handleId);
    if (line.call?.direction !== "in" || line.call.over)
      throw new JanusError(`no incoming call on SIP handle ${handleId}`, line.instance);
    await this.request(line, "accept", line.handle.accept({ jsep: { type: "answer", sdp: answerSdp } }));
  }

  /**
   * Ends the handle's call (hangs up, cancels, or declines an incoming one — with `declineCode`
   * when given) and resolves once it is reported: a call's handle is detached by then. Nothing
   * to do for an unknown handle.
   */
  async hangup(handleId: string, declineCode?: number): Promise<void> {
    const line = this.byId.get(handleId);
    if (!line) return;
    const call = line.call;
    if (!call || call.over) {
      if (!line.registered) await this.detach(line);
      return;
    }
    const declining = call.direction === "in" && !call.accepted;
    line.handle.declineCode = declineCode;
    try {
      await this.request(line, "hang up", declining ? line.handle.decline() : line.handle.sip_hangup());
    } catch {
      // Janus had no call left to end: it ended meanwhile, and its hangup is on its way.
    }
    await janusRequest(line.instance, "wait for hangup", this.timeoutMs, call.ended).catch(() =>
      this.ended(line, call, { reason: "hung up (Janus did not confirm)" }),
    );
  }

  /** Ends any call on a registered handle and its helpers and detaches them (Janus unregisters). */
  async unregister(handleId: string): Promise<void> {
    const line = this.byId.get(handleId);
    if (!line) return;
    for (const l of [...(line.helpers ?? []), line]) {
      await this.hangup(l.id);
      await this.detach(l);
    }
  }

  /** Passes on a candidate of the WebRTC side; `null`: no more. */
  async trickle(handleId: string, candidate: IceCandidate | null): Promise<void> {
    const line = this.get(handleId);
    const sent = candidate
      ? line.handle.trickle({
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid ?? null,
          sdpMLineIndex: candidate.sdpMLineIndex ?? null,
        })
      : line.handle.trickleComplete();
    await this.request(line, "trickle", sent);
  }

  /** Forgets the handles of a lost instance (Janus frees them with the session), reporting them ended. */
  dropInstance(instance: string, reason: string): string[] {
    const gone = [...this.byId.values()].filter((line) => line.instance === instance);
    for (const line of gone) this.lost(line, reason);
    return gone.map((line) => line.id);
  }

  /** Hangs up every call and detaches every handle (the pool is closing). */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.byId.values()].map(async (line) => {
        await this.hangup(line.id).catch(() => undefined);
        await this.detach(line);
      }),
    );
  }

  private async attach(instance: JanusInstance, registered: boolean): Promise<SipLine> {
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
  private async introduce(line: SipLine, account: SipAccount, sendRegister: boolean): Promise<void> {
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

  private onResult(line: SipLine, result: SipResult): void {
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

  private incoming(line: SipLine, result: SipResult): void {
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
  private async ended(line: SipLine, call: Call, how: HowEnded): Promise<void> {
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
  private lost(line: SipLine, reason: string): void {
    this.byId.delete(line.id);
    line.detached = Promise.resolve();
    const call = line.call && !line.call.over ? line.call : undefined;
    if (call) call.over = true;
    // A line without a call still says it is gone; a call not yet made rejects instead.
    if (call || line.registered) this.report(line, call, { reason });
  }

  private report(line: SipLine, call: Call | undefined, how: HowEnded): void {
    call?.settle();
    this.tell(line, {
      handleId: line.id,
      event: "hangup",
      ...(how.code !== undefined && { code: how.code }),
      ...(how.reason !== undefined && { reason: how.reason }),
    });
  }

  private tell(line: SipLine, event: SipEvent): void {
    if (line.held) line.held.push(event);
    else this.emit(event);
  }

  /** Detaches the handle once; Janus ends whatever call it still had. */
  private detach(line: SipLine): Promise<void> {
    if (this.byId.get(line.id) === line) this.byId.delete(line.id);
    line.detached ??= janusRequest(line.instance, "detach", this.timeoutMs, line.handle.detach()).catch(
      () => undefined,
    );
    return line.detached;
  }

  private get(handleId: string): SipLine {
    const line = this.byId.get(handleId);
    if (!line)
      throw new JanusError(`no SIP handle ${handleId} (its call ended, or its instance went down)`, "");
    return line;
  }

  private request<T>(line: SipLine, what: string, request: Promise<T>): Promise<T> {
    return janusRequest(line.instance, what, this.timeoutMs, request);
  }
}
