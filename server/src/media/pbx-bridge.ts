/**
 * The bridge to a company's SIP PBX (spec/services.md "Bridging to your PBX", BRIEF F22): a call
 * to a service whose trunk rings the PBX waits for the caller's offer (`pbx: waiting`), which
 * the gateway's SIP side turns into an INVITE on the trunk (`ringing`); when the PBX answers,
 * the call is answered (`answered`) and the caller's publish returns the gateway's answer, so
 * the caller's audio and the PBX's travel on that one connection. A hang-up on either side ends
 * both: the PBX's ends the call, the call's ending hangs up the PBX.
 */
import { CallState, PbxState } from "../../../protocol/callsign/calls.js";
import type { PublishView } from "../../../protocol/callsign/media.js";
import { ProtocolError } from "../../../protocol/errors.js";
import type { CallMachine } from "../services/calls/call-machine.js";
import { lineOf, type SipTrunks } from "../services/webcam/sip-trunks.js";
import type { CallRow } from "../storage/repositories/calls.js";
import { ServicesRepo } from "../storage/repositories/services.js";
import type { JanusPool } from "./janus/pool.js";
import type { SipEvent } from "./janus/types.js";
import { limitOf } from "../services/webcam/desk.js";

/** What a PBX that never answers ends as: the call's own ring time-out then decides. */
const NOT_ANSWERED = "The company's phone system did not answer";
const HUNG_UP = "The company's phone system hung up";
const TAKEN_ON_WEB = "An operator took the call: publish again to talk to them";

interface Ringing {
  callId: string;
  answerSdp?: string;
  settle: (result: { answerSdp: string } | { refused: string; answered?: boolean }) => void;
}

export class PbxBridge {
  /** SIP handles by call, and calls still ringing by handle. */
  private readonly lines = new Map<string, string>();
  private readonly ringing = new Map<string, Ringing>();

  constructor(
    private readonly pool: JanusPool,
    private readonly trunks: SipTrunks,
    private readonly machine: CallMachine,
    private readonly ringTimeoutMs: number,
    private readonly logger: { warn(obj: object, msg: string): void },
  ) {
    pool.on(
      "sip",
      (e) => void this.event(e).catch((err: unknown) => logger.warn({ err, e }, "PBX event failed")),
    );
  }

  /** Rings the trunk with the caller's offer; resolves when the PBX answers, with the gateway's answer. */
  async ring(call: CallRow, offerSdp: string): Promise<PublishView> {
    const service = await this.machine.writer.read((sql) => new ServicesRepo(sql).byAccount(call.calleeId));
    const trunk = service && (await this.trunks.account(service.serviceId));
    if (!trunk) throw new ProtocolError("M_NOT_FOUND", "This service has no SIP trunk any more");
    if (!(await this.machine.movePbx(call.callId, PbxState.Waiting, PbxState.Ringing))) {
      throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", "The call is not waiting for the PBX", {
        state: call.state,
      });
    }
    const { handleId } = await this.pool.sipCall({
      account: {
        // We call as the trunk's user (or the service) at the PBX's domain.
        uri: lineOf(trunk, service.serviceId),
        proxy: trunk.proxy,
        username: trunk.username,
        password: trunk.password,
      },
      to: trunk.uri,
      offerSdp,
    });
    this.lines.set(call.callId, handleId);
    const result = await new Promise<{ answerSdp: string } | { refused: string; answered?: boolean }>(
      (settle) => {
        this.ringing.set(handleId, { callId: call.callId, settle });
        setTimeout(() => settle({ refused: NOT_ANSWERED }), this.ringTimeoutMs).unref();
      },
    );
    this.ringing.delete(handleId);
    if ("refused" in result && result.answered) {
      throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", result.refused, { state: CallState.Answered });
    }
    if ("refused" in result) {
      await this.hangup(call.callId);
      // Refused, busy or unanswered: the call is missed, with the PBX's reason.
      const missed = await this.machine
        .change(null, call.callId, {
          role: "system",
          to: CallState.Missed,
          patch: { reason: result.refused },
        })
        .catch(() => undefined);
      throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", result.refused, {
        state: missed?.state ?? CallState.Queued,
      });
    }
    return { sdp: result.answerSdp, feed_id: "pbx", video: false };
  }

  /** Answered on the web while the PBX rang: the caller's publish is refused (publish again, to the room) and the PBX hangs up. */
  async takenOnWeb(callId: string): Promise<void> {
    const handleId = this.lines.get(callId);
    const ringing = handleId ? this.ringing.get(handleId) : undefined;
    ringing?.settle({ refused: TAKEN_ON_WEB, answered: true });
    await this.hangup(callId);
  }

  /** The gateway handle of the call's line to the PBX, if it has one (the caller's candidates go there). */
  lineOf(callId: string): string | undefined {
    return this.lines.get(callId);
  }

  /** The call ended (or was taken by a web operator): the PBX side hangs up. */
  async hangup(callId: string): Promise<void> {
    const handleId = this.lines.get(callId);
    if (!handleId) return;
    this.lines.delete(callId);
    await this.pool.sipHangup(handleId).catch(() => undefined);
  }

  private async event(e: SipEvent): Promise<void> {
    const ringing = this.ringing.get(e.handleId);
    if (e.event === "ringing" && ringing && e.answerSdp) ringing.answerSdp = e.answerSdp;
    if (e.event === "accepted" && ringing) {
      const answerSdp = e.answerSdp ?? ringing.answerSdp;
      if (!answerSdp) return ringing.settle({ refused: "The phone system answered without media" });
      const view = await this.machine.change(null, ringing.callId, {
        role: "system",
        to: CallState.Answered,
        // The service's plan limits a call the PBX answered as one an operator answered.
        during: async (tx, call) => ({
          answeredAt: new Date(),
          operatorId: null,
          pbx: PbxState.Answered,
          limitS: limitOf(await this.machine.desk.terms(tx, call.calleeId)),
        }),
      });
      await this.machine.startMaxDuration(view);
      ringing.settle({ answerSdp });
    }
    if (e.event !== "hangup") return;
    if (ringing) return ringing.settle({ refused: e.reason ? `${NOT_ANSWERED}: ${e.reason}` : NOT_ANSWERED });
    const callId = [...this.lines].find(([, h]) => h === e.handleId)?.[0];
    if (!callId) return;
    this.lines.delete(callId);
    // The PBX hung up an answered call: it ends for the caller too.
    await this.machine
      .change(null, callId, { role: "system", to: CallState.Ended, patch: { reason: HUNG_UP } })
      .catch((err: unknown) => {
        if (!(err instanceof ProtocolError && err.errcode === "IO_CALLSIGN_BAD_TRANSITION")) throw err;
      });
  }
}
