/**
 * Calls from a company's PBX (spec/services.md "Calls from your PBX", BRIEF F22): a trunk that
 * accepts calls has its line (`sip:<username>@<the PBX's domain>`) registered at the PBX through
 * the media gateway's SIP side, and each call the PBX sends there is placed from the service to
 * the Callsign handle the call's To names (`sip:bella@pbx…` calls `bella`, `sip:sales%40acme.com@…`
 * calls `sales@acme.com`). The call waits in the callee's queue like any other — the PBX hears it
 * ring — and the party who takes it answers the PBX's offer (a subscription whose ID is `pbx`):
 * the PBX's audio and theirs travel on that one connection. A hang-up on either side ends both.
 *
 * One process of a deployment keeps the lines registered (a lease): two registrations would ring
 * twice. The lines follow the trunks: at start, after a change made here, and every half minute.
 */
import type { SubscriptionView } from "../../../protocol/callsign/media.js";
import { CallState } from "../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../protocol/errors.js";
import type { CallMachine } from "../services/calls/call-machine.js";
import type { CallService } from "../services/calls/call-service.js";
import type { Lease } from "../services/lease.js";
import type { SipTrunks, TrunkLine } from "../services/webcam/sip-trunks.js";
import { ServicesRepo } from "../storage/repositories/services.js";
import type { CallRow } from "../storage/repositories/calls.js";
import type { JanusPool } from "./janus/pool.js";
import type { SipEvent } from "./janus/types.js";

const RESYNC_MS = 30_000;
/** Calls a line takes at once (Janus's registration and its helpers); the PBX hears 486 beyond. */
const CALLS_PER_LINE = 4;
const HUNG_UP = "The caller's phone system hung up";
/** SIP statuses of a call refused before it is placed. */
const SIP_NOT_FOUND = 404;
const SIP_UNAVAILABLE = 480;
const SIP_BUSY = 486;
const SIP_SERVER_ERROR = 500;
const NOBODY_THERE = new Set(["IO_CALLSIGN_UNKNOWN_HANDLE", "IO_CALLSIGN_REMOTE_HANDLE", "M_INVALID_PARAM"]);

interface Line {
  serviceId: string;
  /** The line's own user: a call to it names no handle. */
  username: string;
  /** What the registration was made with: a change of any of it registers anew. */
  key: string;
  handleId: string;
  /** The registration's handle and its helpers': a call may come on any of them. */
  handles: string[];
}

interface Inbound {
  handleId: string;
  offerSdp: string;
  accepted: boolean;
}

export class PbxLines {
  private readonly lines = new Map<string, Line>();
  private readonly calls = new Map<string, Inbound>();
  private syncing: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: JanusPool,
    private readonly trunks: SipTrunks,
    private readonly placing: CallService,
    private readonly machine: CallMachine,
    private readonly lease: Lease,
    private readonly logger: { warn(obj: object, msg: string): void },
  ) {
    pool.on(
      "sip",
      (e) => void this.event(e).catch((err: unknown) => logger.warn({ err, e }, "PBX line event failed")),
    );
    pool.on("instanceUp", () => this.sync());
  }

  start(): void {
    this.sync();
    this.timer = setInterval(() => this.sync(), RESYNC_MS).unref();
  }

  /** Registers the lines the trunks want and unregisters the rest; one run at a time. */
  sync(): void {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = this.run()
      .catch((err: unknown) => this.logger.warn({ err }, "PBX lines: registering failed; retried shortly"))
      .finally(() => {
        this.syncing = undefined;
        if (this.again) {
          this.again = false;
          this.sync();
        }
      });
  }

  /** Waits for the registrations under way (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.syncing) await this.syncing;
  }

  /** The PBX's offer of an inbound call, for the party that took it to answer. */
  offer(call: CallRow): SubscriptionView {
    const inbound = this.calls.get(call.callId);
    if (!inbound || inbound.accepted) {
      throw new ProtocolError("M_NOT_FOUND", "The phone system's call is not waiting for an answer here");
    }
    return { subscription_id: "pbx", user_id: call.callerId, sdp: inbound.offerSdp };
  }

  /** Answers the PBX with the taker's answer: the PBX's call is up. */
  async accept(callId: string, answerSdp: string): Promise<void> {
    const inbound = this.calls.get(callId);
    if (!inbound || inbound.accepted) {
      throw new ProtocolError("M_INVALID_PARAM", "No such subscription");
    }
    inbound.accepted = true;
    await this.pool.sipAccept(inbound.handleId, answerSdp);
  }

  /** The gateway handle carrying the call's PBX leg (the taker's candidates go there). */
  handleOf(callId: string): string | undefined {
    return this.calls.get(callId)?.handleId;
  }

  /** The call ended (or was never answered): the PBX's call is hung up, or declined as unavailable. */
  async hangup(callId: string): Promise<void> {
    const inbound = this.calls.get(callId);
    if (!inbound) return;
    this.calls.delete(callId);
    await this.pool.sipHangup(inbound.handleId, SIP_UNAVAILABLE).catch(() => undefined);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.settled();
    await Promise.all([...this.lines.values()].map((line) => this.unregister(line)));
    await this.lease.release();
  }

  private async run(): Promise<void> {
    const wanted = (await this.lease.hold()) ? await this.trunks.lines() : [];
    const keyed = new Map(wanted.map((t) => [t.serviceId, { trunk: t, key: keyOf(t) }]));
    for (const line of [...this.lines.values()]) {
      const want = keyed.get(line.serviceId);
      if (want?.key === line.key && this.pool.sipHas(line.handleId)) keyed.delete(line.serviceId);
      else await this.unregister(line);
    }
    for (const { trunk, key } of keyed.values()) {
      const { handleId, helperIds } = await this.pool.sipRegister(
        {
          uri: trunk.line,
          ...(trunk.proxy && { proxy: trunk.proxy }),
          username: trunk.username,
          password: trunk.password,
        },
        CALLS_PER_LINE - 1,
      );
      this.lines.set(trunk.serviceId, {
        serviceId: trunk.serviceId,
        username: trunk.username,
        key,
        handleId,
        handles: [handleId, ...helperIds],
      });
    }
  }

  private async unregister(line: Line): Promise<void> {
    this.lines.delete(line.serviceId);
    await this.pool.sipUnregister(line.handleId).catch(() => undefined);
  }

  private async event(e: SipEvent): Promise<void> {
    if (e.event === "incoming") return this.incoming(e);
    if (e.event !== "hangup") return;
    const callId = [...this.calls].find(([, c]) => c.handleId === e.handleId)?.[0];
    if (callId) return this.hungUp(callId);
    // A line lost with its gateway: registered again on another, or when it is back.
    const lost = [...this.lines.values()].find((l) => l.handles.includes(e.handleId));
    if (lost && !lost.handles.every((h) => this.pool.sipHas(h))) {
      this.lines.delete(lost.serviceId);
      this.sync();
    }
  }

  private async incoming(e: Extract<SipEvent, { event: "incoming" }>): Promise<void> {
    const line = [...this.lines.values()].find((l) => l.handles.includes(e.handleId));
    if (!line) return;
    const handle = dialled(e.to);
    const service = await this.machine.writer.read((sql) => new ServicesRepo(sql).get(line.serviceId));
    const refuse = (code: number) => this.pool.sipHangup(e.handleId, code);
    if (!handle || !service || handle === line.username) return refuse(SIP_NOT_FOUND);
    const extension = e.displayName ? `${e.displayName} (${e.from})` : e.from;
    try {
      const view = await this.placing.placeFromPbx(
        { userId: service.accountId, deviceId: "PBX", isGuest: false },
        { handle, topic: `Call from ${extension}` },
        e.from,
      );
      if (view.state === CallState.Offline) {
        // Nobody is there to take it now: the callee finds a missed call, the PBX hears why.
        await this.machine.change(null, view.call_id, {
          role: "system",
          to: CallState.Missed,
          patch: { reason: "The caller's phone system does not wait for an offline subscriber" },
        });
        return refuse(SIP_UNAVAILABLE);
      }
      this.calls.set(view.call_id, { handleId: e.handleId, offerSdp: e.offerSdp, accepted: false });
    } catch (err) {
      if (!(err instanceof ProtocolError)) this.logger.warn({ err, to: e.to }, "a call from a PBX failed");
      await refuse(sipStatusOf(err));
    }
  }

  /** The PBX hung up: a waiting call is cancelled, an answered one ends. */
  private async hungUp(callId: string): Promise<void> {
    this.calls.delete(callId);
    for (const [to, reason] of [
      [CallState.Cancelled, null],
      [CallState.Ended, HUNG_UP],
    ] as const) {
      try {
        await this.machine.change(null, callId, { role: "system", to, patch: { reason } });
        return;
      } catch (err) {
        if (!(err instanceof ProtocolError && err.errcode === "IO_CALLSIGN_BAD_TRANSITION")) throw err;
      }
    }
  }
}

/** The Callsign handle a SIP address names: its user part, percent-decoded (`sales%40acme.com`). */
export function dialled(to: string): string | undefined {
  const match = /^sips?:([^@;?]+)@/.exec(to.trim());
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

function sipStatusOf(err: unknown): number {
  if (!(err instanceof ProtocolError)) return SIP_SERVER_ERROR;
  if (NOBODY_THERE.has(err.errcode)) return SIP_NOT_FOUND;
  if (err.errcode === "IO_CALLSIGN_ALREADY_CALLING") return SIP_BUSY;
  return SIP_UNAVAILABLE;
}

const keyOf = (t: TrunkLine) => JSON.stringify([t.line, t.proxy ?? null, t.username, t.password]);
