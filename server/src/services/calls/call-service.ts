/**
 * Calls between subscribers on this provider: placing a call (handle, inbox options, tags,
 * guests, captcha), the queue, and every state change through one state machine
 * (`CallTransitions` in protocol/callsign/calls.ts).
 *
 * A call is a room hosted here: the caller joined, the callee invited, and an
 * `io.callsign.call` state event that the server rewrites on every change (state, queue
 * position, reply). Changes run in one stream transaction each; a change whose starting state
 * no longer holds (two operators taking, a time-out racing a reply) is refused, so every call
 * ends exactly once. Timers are jobs keyed by the call ID.
 */
import { randomBytes } from "node:crypto";
import {
  CALL_ROOM_TYPE,
  CALL_STATE_EVENT,
  CallState,
  CallTransitions,
  isFinal,
  type BackReference,
  type CallStateValue,
  type CallView,
} from "../../../../protocol/callsign/calls.js";
import type { PlaceCallRequest } from "../../../../protocol/callsign/requests.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { EventType, Membership } from "../../../../protocol/matrix/event-types.js";
import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import type { JobEngine } from "../../jobs/types.js";
import { CallsRepo, SmsRepo, type CallRow } from "../../storage/repositories/calls.js";
import { EventsRepo } from "../../storage/repositories/events.js";
import type { Requester } from "../accounts.js";
import type { RoomService } from "../rooms/room-service.js";
import type { StreamWriter, WriteTx } from "../stream-writer.js";
import type { CallAdmission } from "./admission.js";
import type { HandleResolver } from "./handles.js";
import { refreshInboxCounts } from "./inbox-counts.js";
import { CallJobs, type CallJob, type NotifyEmailJob } from "./job-names.js";
import type { PresenceService } from "./presence.js";
import { callView, Parties } from "./views.js";

/** How long past its time-out a call must be before the sweep ends it (the job normally does). */
const SWEEP_SLACK_MS = 60_000;

const newId = () => randomBytes(12).toString("base64url");
const as = (userId: string): Requester => ({ userId, deviceId: "", isGuest: false });

type Role = "caller" | "callee" | "either" | "system";

interface Change {
  to: CallStateValue;
  role: Role;
  patch?: Partial<CallRow>;
  /** Extra checks and writes inside the transaction, before the state is written. */
  during?: (tx: WriteTx, call: CallRow) => Promise<Partial<CallRow> | void>;
}

export class CallService {
  constructor(
    private readonly writer: StreamWriter,
    private readonly rooms: RoomService,
    private readonly presence: PresenceService,
    private readonly handles: HandleResolver,
    private readonly admission: CallAdmission,
    private readonly jobs: JobEngine,
    private readonly config: Config["calls"],
    private readonly logger: Pick<Logger, "error">,
  ) {}

  /** Places a call to a handle; the answer is the call in state `queued` or `offline`. */
  async place(
    r: Requester,
    req: PlaceCallRequest,
    ip: string,
    callbackOf?: BackReference,
  ): Promise<CallView> {
    const callee = await this.handles.resolve(req.handle);
    if (!callee) throw new ProtocolError("IO_CALLSIGN_UNKNOWN_HANDLE", `Nobody answers to ${req.handle}`);
    if (callee.userId === r.userId) throw new ProtocolError("M_INVALID_PARAM", "You cannot call yourself");
    const { topic, tag } = await this.admission.admit(r, callee, req, ip);
    const online = await this.presence.isOnline(callee.userId);

    const view = await this.writer.write(async (tx) => {
      const calls = new CallsRepo(tx);
      // The first position taken locks the stream head: concurrent placements are judged in turn.
      const queueSeq = await tx.nextPosition();
      const existing = await calls.activeBetween(r.userId, callee.userId);
      if (existing) {
        throw new ProtocolError("IO_CALLSIGN_ALREADY_CALLING", "You are already calling this subscriber", {
          call_id: existing.callId,
        });
      }
      const roomId = await this.rooms.createRoomIn(tx, r, {
        preset: "private_chat",
        invite: [callee.userId],
        is_direct: true,
        name: topic ?? undefined,
        creation_content: { type: CALL_ROOM_TYPE },
      });
      const call: CallRow = {
        callId: newId(),
        roomId,
        callerId: r.userId,
        calleeId: callee.userId,
        target: req.handle.trim(),
        topic,
        tag,
        state: online ? CallState.Queued : CallState.Offline,
        position: null,
        video: !r.isGuest,
        reply: null,
        reason: null,
        smsId: null,
        callbackKind: callbackOf?.kind ?? null,
        callbackId: callbackOf?.id ?? null,
        queueSeq,
        createdAt: new Date(),
        answeredAt: null,
        endedAt: null,
        calleeReadAt: null,
      };
      await calls.insert(call);
      if (online) await this.reposition(tx, callee.userId, call.callId);
      else await this.publish(tx, call, r.userId);
      return this.view(tx, call.callId);
    });
    const [job, delayMs] = online
      ? [CallJobs.RingTimeout, this.config.ringTimeoutMs]
      : [CallJobs.OfflineTimeout, this.config.offlineDecisionMs];
    await this.afterCommit("schedule the call's time-out", () =>
      this.jobs.add<CallJob>(job, { callId: view.call_id }, { jobId: view.call_id, delayMs }),
    );
    return view;
  }

  async get(r: Requester, callId: string): Promise<CallView> {
    return this.writer.read(async (sql) => {
      const call = await new CallsRepo(sql).get(callId);
      if (!call || (call.callerId !== r.userId && call.calleeId !== r.userId)) {
        throw new ProtocolError("M_NOT_FOUND", "No such call");
      }
      return callView(call, new Parties(this.writer.manager));
    });
  }

  async queue(r: Requester): Promise<CallView[]> {
    return this.writer.read(async (sql) => {
      const parties = new Parties(this.writer.manager);
      return Promise.all((await new CallsRepo(sql).queueOf(r.userId)).map((c) => callView(c, parties)));
    });
  }

  cancel = (r: Requester, callId: string) =>
    this.change(r, callId, {
      role: "caller",
      // A caller who gives up on an offline subscriber leaves a missed call behind.
      to: CallState.Cancelled,
    });

  reply = (r: Requester, callId: string, text: string) =>
    this.change(r, callId, { role: "callee", to: CallState.Replied, patch: { reply: text } });

  decline = (r: Requester, callId: string, reason?: string) =>
    this.change(r, callId, { role: "callee", to: CallState.Declined, patch: { reason: reason || null } });

  end = (r: Requester, callId: string) => this.change(r, callId, { role: "either", to: CallState.Ended });

  take = (r: Requester, callId: string) =>
    this.change(r, callId, {
      role: "callee",
      to: CallState.Answered,
      during: async (tx, call) => {
        const head = (await new CallsRepo(tx).queueOf(call.calleeId))[0];
        if (call.state === CallState.Queued && head?.callId !== call.callId) {
          throw new ProtocolError("IO_CALLSIGN_NOT_HEAD", "Take the first call in the queue first", {
            head: head?.callId,
          });
        }
        await this.rooms.appendIn(
          tx,
          as(call.calleeId),
          {
            roomId: call.roomId,
            type: EventType.RoomMember,
            stateKey: call.calleeId,
            content: await this.rooms.memberContent(tx, call.calleeId, Membership.Join),
          },
          false,
        );
        return { answeredAt: new Date() };
      },
    });

  /** The caller leaves an SMS (with the call's topic) instead of waiting or talking. */
  leaveSms = (r: Requester, callId: string, text: string) =>
    this.change(r, callId, {
      role: "caller",
      to: CallState.LeftSms,
      during: async (tx, call) => {
        const sms = await new SmsRepo(tx).insert({
          smsId: newId(),
          fromId: call.callerId,
          toId: call.calleeId,
          topic: call.topic,
          text,
          callId: call.callId,
          replyTo: null,
        });
        return { smsId: sms.smsId };
      },
    });

  /** A time-out job: the call becomes missed unless something else ended it first. */
  async timeout(callId: string, from: CallStateValue): Promise<void> {
    const call = await this.writer.read((sql) => new CallsRepo(sql).get(callId));
    if (!call || call.state !== from) return;
    await this.change(null, callId, { role: "system", to: CallState.Missed }).catch((err: unknown) => {
      if (!(err instanceof ProtocolError && err.errcode === "IO_CALLSIGN_BAD_TRANSITION")) throw err;
    });
  }

  private async change(r: Requester | null, callId: string, c: Change): Promise<CallView> {
    const emails: NotifyEmailJob[] = [];
    const view = await this.writer.write(async (tx) => {
      const calls = new CallsRepo(tx);
      const call = await calls.get(callId, true);
      const isCaller = r?.userId === call?.callerId;
      const isCallee = r?.userId === call?.calleeId;
      if (!call || (c.role !== "system" && !isCaller && !isCallee)) {
        throw new ProtocolError("M_NOT_FOUND", "No such call");
      }
      if ((c.role === "caller" && !isCaller) || (c.role === "callee" && !isCallee)) {
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
      if (isFinal(to)) await this.withdrawInvite(tx, updated);
      if (call.state === CallState.Queued) await this.reposition(tx, call.calleeId);
      if (to === CallState.Missed) emails.push({ kind: "missed", id: call.callId });
      if (to === CallState.LeftSms && updated.smsId) emails.push({ kind: "sms", id: updated.smsId });
      if (emails.length) await refreshInboxCounts(tx, call.calleeId);
      return this.view(tx, callId);
    });
    if (view.state !== CallState.Queued && view.state !== CallState.Offline) {
      // A time-out that still fires finds the call ended and does nothing; cancelling is tidiness.
      await this.afterCommit("cancel the call's time-outs", async () => {
        await this.jobs.cancel(CallJobs.RingTimeout, callId);
        await this.jobs.cancel(CallJobs.OfflineTimeout, callId);
      });
    }
    for (const e of emails) {
      await this.afterCommit("queue the e-mail", () =>
        this.jobs.add(CallJobs.NotifyEmail, e, { jobId: `${e.kind}-${e.id}` }),
      );
    }
    return view;
  }

  /**
   * Job bookkeeping after a committed change: a failure here (Redis away) must not turn a change
   * that happened into an error for the client. Lost time-outs are caught by `sweep`.
   */
  private async afterCommit(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.logger.error({ err }, `could not ${what} after the change committed`);
    }
  }

  /**
   * Ends calls whose time-out is long overdue (their job was lost between a commit and the
   * job queue). Run by housekeeping; each ending goes through the state machine, so it is safe
   * when the job fires after all.
   */
  async sweep(now = Date.now()): Promise<number> {
    const overdue = await this.writer.read((sql) =>
      new CallsRepo(sql).overdue(
        new Date(now - this.config.ringTimeoutMs - SWEEP_SLACK_MS),
        new Date(now - this.config.offlineDecisionMs - SWEEP_SLACK_MS),
      ),
    );
    for (const c of overdue) await this.timeout(c.callId, c.state);
    return overdue.length;
  }

  /** Rewrites the queue positions of the callee's waiting calls that moved. */
  private async reposition(tx: WriteTx, calleeId: string, added?: string): Promise<void> {
    const queue = await new CallsRepo(tx).queueOf(calleeId);
    for (const [i, call] of queue.entries()) {
      if (call.position === i + 1 && call.callId !== added) continue;
      await new CallsRepo(tx).setPosition(call.callId, i + 1);
      await this.publish(tx, { ...call, position: i + 1 }, call.callerId);
    }
  }

  /** Writes the call's state event into its room (the server's own write, judged above). */
  private async publish(tx: WriteTx, call: CallRow, senderId: string): Promise<void> {
    const content = await callView(call, new Parties(tx.manager));
    await this.rooms.appendIn(
      tx,
      as(senderId),
      {
        roomId: call.roomId,
        type: CALL_STATE_EVENT,
        stateKey: "",
        content: content as unknown as Record<string, unknown>,
      },
      false,
    );
  }

  /** A finished call no longer waits in the callee's invites. */
  private async withdrawInvite(tx: WriteTx, call: CallRow): Promise<void> {
    const member = await new EventsRepo(tx).stateEvent(call.roomId, EventType.RoomMember, call.calleeId);
    if (member?.content.membership !== Membership.Invite) return;
    await this.rooms.appendIn(
      tx,
      as(call.calleeId),
      {
        roomId: call.roomId,
        type: EventType.RoomMember,
        stateKey: call.calleeId,
        content: { membership: Membership.Leave },
      },
      false,
    );
  }

  private async view(tx: WriteTx, callId: string): Promise<CallView> {
    return callView((await new CallsRepo(tx).get(callId))!, new Parties(tx.manager));
  }
}
