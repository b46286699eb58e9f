/**
 * The timers of calls, run as jobs (spec/calls.md "Jobs"): a ring or offline time-out makes a
 * waiting call missed, a service's answered call ends at its plan's longest duration, and the
 * housekeeping sweep ends calls whose time-out job was lost. Each ending goes through the state
 * machine and only from the state (and transfer hop) the timer was started for, so a late or
 * repeated job is harmless.
 */
import { CallState, PbxState, type CallStateValue } from "../../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Config } from "../../config/config.js";
import { CallsRepo } from "../../storage/repositories/calls.js";
import type { CallMachine } from "./call-machine.js";

/** How long past its time-out a call must be before the sweep ends it (the job normally does). */
const SWEEP_SLACK_MS = 60_000;

export class CallTimers {
  constructor(
    private readonly machine: CallMachine,
    private readonly config: Config["calls"],
  ) {}

  /** A time-out job: the call becomes missed unless something else moved it first (or a transfer restarted its timer). */
  timeout = (callId: string, from: CallStateValue, hop = 0) =>
    this.endIf(callId, from, hop, CallState.Missed);

  /** The job: a service's answered call reached its plan's maximum duration and ends. */
  maxDuration = (callId: string, hop: number) =>
    this.endIf(callId, CallState.Answered, hop, CallState.Ended, {
      reason: "The call reached the longest duration of the service's plan",
    });

  /** The job: a call the web operators did not take in time goes to the service's PBX. */
  async escalate(callId: string, hop: number): Promise<void> {
    await this.machine.movePbx(callId, null, PbxState.Waiting, hop);
  }

  /**
   * Ends calls whose time-out is long overdue (their job was lost between a commit and the
   * job queue). Run by housekeeping.
   */
  async sweep(now = Date.now()): Promise<number> {
    const overdue = await this.machine.writer.read((sql) =>
      new CallsRepo(sql).overdue(
        new Date(now - this.config.ringTimeoutMs - SWEEP_SLACK_MS),
        new Date(now - this.config.offlineDecisionMs - SWEEP_SLACK_MS),
      ),
    );
    for (const c of overdue) await this.timeout(c.callId, c.state, c.hops);
    return overdue.length;
  }

  /** Moves the call to `to` if it is still in `from` at hop `hop`; a race lost to another change is no error. */
  private async endIf(
    callId: string,
    from: CallStateValue,
    hop: number,
    to: CallStateValue,
    patch?: { reason: string },
  ): Promise<void> {
    const call = await this.machine.writer.read((sql) => new CallsRepo(sql).get(callId));
    if (!call || call.state !== from || call.hops !== hop) return;
    await this.machine.change(null, callId, { role: "system", to, patch }).catch((err: unknown) => {
      if (!(err instanceof ProtocolError && err.errcode === "IO_CALLSIGN_BAD_TRANSITION")) throw err;
    });
  }
}
