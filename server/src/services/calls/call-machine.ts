/**
 * The one state machine every call change goes through (`CallTransitions` in
 * protocol/callsign/calls.ts). A change runs in one stream transaction: it locks the call's row,
 * decides who the requester is to the call, checks the transition, applies the change, rewrites
 * the call's `io.callsign.call` state event, moves memberships (a take joins the taker and
 * withdraws the other invites; an end withdraws every invite) and renumbers the queue the call
 * left. A change whose starting state no longer holds is refused, so every call ends once and
 * two operators taking one call get one winner.
 *
 * Sides: the caller; the callee — the person called, or for a call to a service the operator
 * who answered it, or (before it is answered) any operator online for the service; "system"
 * for timers.
 */
import {
  CALL_STATE_EVENT,
  CallState,
  CallTransitions,
  isFinal,
  type CallStateValue,
  type PbxStateValue,
  type CallView,
} from "../../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Logger } from "pino";
import type { JobEngine } from "../../jobs/types.js";
import { CallsRepo, type CallRow } from "../../storage/repositories/calls.js";
import type { Requester } from "../requester.js";
import type { RoomService } from "../rooms/room-service.js";
import type { StreamWriter, WriteTx } from "../stream-writer.js";
import type { ServiceDesk } from "../webcam/desk.js";
import type { Distributor, OfferTimer } from "../webcam/distribution.js";
import type { CallMembers } from "./call-members.js";
import { refreshInboxCounts } from "./inbox-counts.js";
import { CallJobs, callTimerId, type CallJob, type NotifyEmailJob } from "./job-names.js";
import { callView, Parties } from "./views.js";

export type Role = "caller" | "callee" | "either" | "system";

export interface Change {
  to: CallStateValue;
  role: Role;
  patch?: Partial<CallRow>;
  /** Extra checks and writes inside the transaction, before the state is written. */
  during?: (tx: WriteTx, call: CallRow) => Promise<Partial<CallRow> | void>;
}

/** What follows a call's changes outside its own tables (its media room). */
export interface CallObserver {
  /** The call ended (any final state). */
  ended(callId: string): Promise<void>;
  /** `userId` stopped answering the call (an operator transferred it on). */
  left(call: CallRow, userId: string): Promise<void>;
  /** Someone on the web (not the PBX) answered the call. */
  takenOnWeb(callId: string): Promise<void>;
}

export class CallMachine {
  private readonly observers: CallObserver[] = [];

  constructor(
    readonly writer: StreamWriter,
    readonly rooms: RoomService,
    readonly desk: ServiceDesk,
    readonly members: CallMembers,
    readonly distributor: Distributor,
    private readonly jobs: JobEngine,
    private readonly logger: Pick<Logger, "error">,
  ) {}

  /**
   * Who `userId` is to the call: "caller", "callee" (may act for the called side now), or
   * undefined for a stranger (the call is not theirs to see). An operator of the service who
   * may not act now is refused with the reason.
   */
  async sideOf(
    tx: WriteTx,
    userId: string,
    call: CallRow,
    to?: CallStateValue,
  ): Promise<"caller" | "callee" | undefined> {
    if (userId === call.callerId) return "caller";
    if (userId === call.calleeId || userId === call.operatorId) return "callee";
    if (!(await this.desk.isOperator(tx, call.calleeId, userId))) return undefined;
    if (call.operatorId) {
      if (to === CallState.Answered) {
        throw new ProtocolError("IO_CALLSIGN_ALREADY_TAKEN", "Another operator took this call first", {
          operator: call.operatorId,
        });
      }
      throw new ProtocolError("M_FORBIDDEN", "Another operator has this call");
    }
    if (isFinal(call.state)) return "callee";
    if (!(await this.desk.isOnlineOperator(tx, call.calleeId, userId))) {
      throw new ProtocolError("IO_CALLSIGN_NOT_ONLINE", "Go online for the service to answer its calls");
    }
    return "callee";
  }

  async change(r: Requester | null, callId: string, c: Change): Promise<CallView> {
    const emails: NotifyEmailJob[] = [];
    let offers: OfferTimer[] = [];
    let hop = 0;
    const view = await this.writer.write(async (tx) => {
      const calls = new CallsRepo(tx);
      const call = await calls.get(callId, true);
      if (!call) throw new ProtocolError("M_NOT_FOUND", "No such call");
      hop = call.hops;
      const side = r ? await this.sideOf(tx, r.userId, call, c.to) : "system";
      if (!side) throw new ProtocolError("M_NOT_FOUND", "No such call");
      if ((c.role === "caller" || c.role === "callee") && side !== c.role) {
        throw new ProtocolError("M_FORBIDDEN", `Only the ${c.role} of a call can do this`);
      }
      // Cancelling a call to an offline subscriber records it as missed (F6).
      const to = c.to === CallState.Cancelled && call.state === CallState.Offline ? CallState.Missed : c.to;
      if (!CallTransitions[call.state].includes(to)) {
        throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", `The call is ${call.state}`, {
          state: call.state,
        });
      }
      const extra = (await c.during?.(tx, call)) ?? {};
      const patch: Partial<CallRow> = { ...c.patch, ...extra, state: to };
      if (isFinal(to)) Object.assign(patch, { endedAt: new Date(), position: null });
      if (to === CallState.Answered) patch.position = null;
      if (!(await calls.update(callId, call.state, patch))) {
        throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", "The call changed meanwhile", {
          state: call.state,
        });
      }
      const updated = { ...call, ...patch } as CallRow;
      await this.publish(tx, updated, r?.userId ?? call.callerId);
      // Taken or over: nobody else is rung any more.
      if (isFinal(to) || to === CallState.Answered) await this.members.withdraw(tx, call.roomId);
      if (call.state === CallState.Queued) await this.reposition(tx, call.calleeId);
      if (to === CallState.Missed) emails.push({ kind: "missed", id: call.callId });
      if (to === CallState.LeftSms && updated.smsId) emails.push({ kind: "sms", id: updated.smsId });
      if (emails.length) await refreshInboxCounts(tx, call.calleeId);
      // Automatic distribution: a call left the queue or an operator is free again.
      offers = await this.distributor.dispatch(tx, call.calleeId);
      if (call.operatorId && isFinal(to))
        offers.push(...(await this.distributor.dispatchFor(tx, call.operatorId)));
      return this.view(tx, callId);
    });
    await this.distributor.start(offers);
    await this.settled(callId, isFinal(view.state));
    if (r && view.state === CallState.Answered) {
      for (const o of this.observers) await this.afterCommit("hang the PBX up", () => o.takenOnWeb(callId));
    }
    if (view.state !== CallState.Queued && view.state !== CallState.Offline) {
      await this.cancelTimers(callId, hop);
    }
    for (const e of emails) {
      await this.afterCommit("queue the e-mail", () =>
        this.jobs.add(CallJobs.NotifyEmail, e, { jobId: `${e.kind}-${e.id}` }),
      );
    }
    return view;
  }

  observe(observer: CallObserver): void {
    this.observers.push(observer);
  }

  /** Tells the observers, after the commit, that the call ended or that `leaving` left it. */
  async settled(callId: string, ended: boolean, leaving?: CallRow & { operatorId: string }): Promise<void> {
    for (const o of this.observers) {
      if (ended) await this.afterCommit("close the call's media", () => o.ended(callId));
      if (leaving)
        await this.afterCommit("drop the leaving party's media", () => o.left(leaving, leaving.operatorId));
    }
  }

  /** Starts the time-out of a call that is now queued or offline (at hop `hop`). */
  startTimer(callId: string, hop: number, state: CallStateValue, delays: { ring: number; offline: number }) {
    const [job, delayMs] =
      state === CallState.Queued
        ? [CallJobs.RingTimeout, delays.ring]
        : [CallJobs.OfflineTimeout, delays.offline];
    return this.afterCommit("schedule the call's time-out", () =>
      this.jobs.add<CallJob>(job, { callId, hop }, { jobId: callTimerId(callId, hop), delayMs }),
    );
  }

  /** Ends the answered call when its plan's maximum duration (`limit_s`) is reached (a job). */
  startMaxDuration(call: CallView) {
    const { call_id: callId, hops, limit_s: limitS } = call;
    if (limitS === null) return Promise.resolve();
    return this.afterCommit("schedule the call's maximum duration", () =>
      this.jobs.add<CallJob>(
        CallJobs.MaxDuration,
        { callId, hop: hops.length },
        { jobId: `${callTimerId(callId, hops.length)}.max`, delayMs: limitS * 1000 },
      ),
    );
  }

  /**
   * Moves a queued call's place on the service's PBX from `from` to `to` (at hop `hop`, when
   * given) and republishes the call; false when the call is not there any more.
   */
  async movePbx(
    callId: string,
    from: PbxStateValue | null,
    to: PbxStateValue,
    hop?: number,
  ): Promise<boolean> {
    return this.writer.write(async (tx) => {
      const calls = new CallsRepo(tx);
      const call = await calls.get(callId, true);
      if (!call || call.state !== CallState.Queued || call.pbx !== from) return false;
      if (hop !== undefined && call.hops !== hop) return false;
      await calls.update(callId, CallState.Queued, { pbx: to });
      await this.publish(tx, { ...call, pbx: to }, call.callerId);
      return true;
    });
  }

  /** Sends the call to the service's PBX if the web operators have not taken it by then (a job). */
  startPbxEscalation(callId: string, hop: number, delayMs: number) {
    return this.afterCommit("schedule the call's move to the PBX", () =>
      this.jobs.add<CallJob>(
        CallJobs.PbxEscalate,
        { callId, hop },
        { jobId: `${callTimerId(callId, hop)}.pbx`, delayMs },
      ),
    );
  }

  /** A time-out that still fires finds the call moved on and does nothing; cancelling is tidiness. */
  cancelTimers(callId: string, hop: number): Promise<void> {
    return this.afterCommit("cancel the call's time-outs", async () => {
      await this.jobs.cancel(CallJobs.RingTimeout, callTimerId(callId, hop));
      await this.jobs.cancel(CallJobs.OfflineTimeout, callTimerId(callId, hop));
    });
  }

  /**
   * Job bookkeeping after a committed change: a failure here (Redis away) must not turn a change
   * that happened into an error for the client. Lost time-outs are caught by the sweep.
   */
  async afterCommit(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.logger.error({ err }, `could not ${what} after the change committed`);
    }
  }

  /** Rewrites the queue positions of the callee's waiting calls that moved. */
  /**
   * A call that has just arrived at the end of its callee's queue (the newest arrival): its
   * position is the count ahead of it plus one, and nobody else's moves. One query where
   * `reposition` reads the whole queue.
   */
  async queueLast(tx: WriteTx, call: CallRow): Promise<void> {
    const position = (await new CallsRepo(tx).countAhead(call.calleeId, call.queueSeq)) + 1;
    await new CallsRepo(tx).setPosition(call.callId, position);
    await this.publish(tx, { ...call, position }, call.callerId);
  }

  async reposition(tx: WriteTx, calleeId: string, added?: string): Promise<void> {
    const queue = await new CallsRepo(tx).queueOf(calleeId);
    for (const [i, call] of queue.entries()) {
      if (call.position === i + 1 && call.callId !== added) continue;
      await new CallsRepo(tx).setPosition(call.callId, i + 1);
      await this.publish(tx, { ...call, position: i + 1 }, call.callerId);
    }
  }

  /** Writes the call's state event into its room (the server's own write, judged above). */
  async publish(tx: WriteTx, call: CallRow, senderId: string): Promise<void> {
    const content = await callView(call, new Parties(tx.manager));
    await this.rooms.appendIn(
      tx,
      { userId: senderId, deviceId: "", isGuest: false },
      {
        roomId: call.roomId,
        type: CALL_STATE_EVENT,
        stateKey: "",
        content: content as unknown as Record<string, unknown>,
      },
      false,
    );
  }

  async view(tx: WriteTx, callId: string): Promise<CallView> {
    return callView((await new CallsRepo(tx).get(callId))!, new Parties(tx.manager));
  }
}
