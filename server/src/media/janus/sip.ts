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
 * - a line (`register`): sends a REGISTER so that the PBX rings us, takes one call at a time
 *   (more with Janus's helper sessions beside it), and stays registered until `unregister`.
 *
 * Progress is reported from the plugin's events as Janus sends them. janode's own SIP handle
 * keeps some of them to itself (a hang-up's SIP code and reason, an `accepted` arriving after
 * its 120 s wait for the answer) and has no `authuser` on register: a subclass adds both.
 */
import { JanusError, janusRequest } from "./errors.js";
import type { JanusInstance } from "./instance.js";
import type { IceCandidate, SipAccount, SipCallOptions, SipEvent } from "./types.js";
import { newCall, RESULT, type SipResult } from "./sip-handle.js";
import { SipHandles } from "./sip-handles.js";

export class SipLines extends SipHandles {
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
}
