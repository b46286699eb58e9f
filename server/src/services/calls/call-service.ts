/**
 * Calls on this provider: placing a call to a handle (a person or a Webcam service; inbox
 * options, tags, guests, captcha), the queue — the requester's own calls merged with the queues
 * of the services they are online for — and the actions on a call, each a change through the
 * one state machine in call-machine.ts (`CallTransitions` in protocol/callsign/calls.ts).
 *
 * A call is a room hosted here: the caller joined, the callee (or a service's online operators)
 * invited, and an `io.callsign.call` state event that the server rewrites on every change
 * (state, queue position, reply, operator, hops). Timers are jobs keyed by the call ID and hop.
 */
import { TrunkMode, type TrunkModeValue } from "../../../../protocol/callsign/sip.js";
import type { Sql } from "../../storage/database.js";
import { ServiceRoutingRepo } from "../../storage/repositories/service-routing.js";
import { randomBytes } from "node:crypto";
import {
  CALL_ROOM_TYPE,
  CallState,
  PbxState,
  type BackReference,
  type CallView,
} from "../../../../protocol/callsign/calls.js";
import type { PlaceCallRequest } from "../../../../protocol/callsign/requests.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Config } from "../../config/config.js";
import { CallsRepo, SmsRepo, type CallRow } from "../../storage/repositories/calls.js";
import type { Requester } from "../requester.js";
import type { CallAdmission } from "./admission.js";
import type { CallMachine } from "./call-machine.js";
import { isRemote, remoteRefusal, type HandleResolver } from "./handles.js";
import type { CallRelay, RemoteCallAction } from "./call-relay.js";
import type { AccountRow } from "../../storage/entities/index.js";
import { callView, Parties } from "./views.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import type { OfferTimer } from "../webcam/distribution.js";
import { limitOf } from "../webcam/desk.js";
import { DistributionMode } from "../../../../protocol/callsign/billing.js";

const newId = () => randomBytes(12).toString("base64url");

/** When a service's PBX rings: the trunk's mode, and for `after` the web operators' seconds. */
export type TrunkPlan = (
  sql: Sql,
  callee: AccountRow,
) => Promise<{ mode: TrunkModeValue; afterS: number | null } | undefined>;

export class CallService {
  private relay: CallRelay | undefined;
  private trunkPlan: TrunkPlan | undefined;

  constructor(
    private readonly machine: CallMachine,
    private readonly handles: HandleResolver,
    private readonly admission: CallAdmission,
    private readonly config: Config["calls"],
  ) {}

  private get writer() {
    return this.machine.writer;
  }

  /** Calls to services with a SIP trunk may go to the company's PBX (spec/services.md "Bridging to your PBX"). */
  useTrunks(plan: TrunkPlan): void {
    this.trunkPlan = plan;
  }

  /** Calls to handles other providers host go through `relay` (federation); without it they are refused. */
  useRelay(relay: CallRelay): void {
    this.relay = relay;
  }

  /**
   * Places a call to a handle; the answer is the call in state `queued` or `offline`. A handle
   * another provider hosts is called there (the host answers with its view of the call).
   */
  async place(
    r: Requester,
    req: PlaceCallRequest,
    ip: string,
    callbackOf?: BackReference,
  ): Promise<CallView> {
    const dialled = await this.handles.locate(req.handle);
    if (!isRemote(dialled)) return this.placeTo(r, dialled, req, ip, callbackOf);
    if (!this.relay) throw remoteRefusal(dialled);
    return this.relay.place(r, dialled, req, callbackOf);
  }

  /** Places a call to a handle hosted here (a call from another provider's user: never relayed on). */
  async placeHere(
    r: Requester,
    req: PlaceCallRequest,
    ip: string,
    callbackOf?: BackReference,
  ): Promise<CallView> {
    return this.placeTo(r, await this.handles.resolve(req.handle), req, ip, callbackOf);
  }

  /**
   * Places a call from a company's PBX (spec/services.md "Calls from your PBX"): `service` (its
   * account) calls a handle hosted here for the extension `fromPbx`. A phone system places many
   * calls at once, so several may ring the same handle.
   */
  async placeFromPbx(service: Requester, req: PlaceCallRequest, fromPbx: string): Promise<CallView> {
    const dialled = await this.handles.locate(req.handle);
    if (isRemote(dialled)) throw remoteRefusal(dialled);
    return this.placeTo(service, dialled, req, "", undefined, fromPbx);
  }

  private async placeTo(
    r: Requester,
    dialled: AccountRow | undefined,
    req: PlaceCallRequest,
    ip: string,
    callbackOf?: BackReference,
    fromPbx?: string,
  ): Promise<CallView> {
    if (!dialled) throw new ProtocolError("IO_CALLSIGN_UNKNOWN_HANDLE", `Nobody answers to ${req.handle}`);
    if (dialled.userId === r.userId) throw new ProtocolError("M_INVALID_PARAM", "You cannot call yourself");
    await this.writer.read((sql) => this.machine.desk.assertTakingCalls(sql, dialled));
    const { topic, tag } = await this.admission.admit(r, dialled, req, ip);
    // A service's routing rules may send the call on by its topic (recorded as its first hop).
    const route = await this.writer.read((sql) => this.machine.desk.route(sql, dialled, topic));
    const callee = route?.account ?? dialled;
    let offers: OfferTimer[] = [];
    let escalateAfterS: number | null = null;

    const view = await this.writer.write(async (tx) => {
      const calls = new CallsRepo(tx);
      // Placements by one caller to one callee are judged in turn (one active call between
      // them); the queue's order is the order positions are taken in.
      if (!fromPbx) await calls.lockPair(r.userId, callee.userId);
      const queueSeq = await tx.nextPosition();
      const existing = fromPbx ? undefined : await calls.activeBetween(r.userId, callee.userId);
      if (existing) {
        throw new ProtocolError("IO_CALLSIGN_ALREADY_CALLING", "You are already calling this subscriber", {
          call_id: existing.callId,
        });
      }
      // A person is invited even while offline (the call waits in their invites); a service's
      // online operators are, and operators who come online later are invited then.
      const reach = await this.machine.desk.reach(tx, callee);
      // A trunk rings the PBX instead of the web operators, or when none of them is online.
      const trunk = await this.trunkPlan?.(tx, callee);
      const toPbx = !!trunk && (trunk.mode === TrunkMode.Instead || !reach.online);
      if (trunk && !toPbx) escalateAfterS = trunk.afterS;
      const online = reach.online || toPbx;
      const roomId = await this.machine.rooms.createRoomIn(tx, r, {
        preset: "private_chat",
        invite: trunk?.mode === TrunkMode.Instead ? [] : reach.ringing,
        is_direct: true,
        name: topic ?? undefined,
        creation_content: { type: CALL_ROOM_TYPE },
      });
      const call: CallRow = {
        callId: newId(),
        roomId,
        callerId: r.userId,
        calleeId: callee.userId,
        operatorId: null,
        hops: route ? 1 : 0,
        offeredTo: null,
        offerSeq: 0,
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
        pbx: toPbx ? PbxState.Waiting : null,
        fromPbx: fromPbx ?? null,
        limitS: null,
      };
      await calls.insert(call);
      if (route) {
        await new ServiceRoutingRepo(tx).addHop({
          callId: call.callId,
          hop: 1,
          fromId: dialled.userId,
          toId: callee.userId,
          byId: dialled.userId,
          note: `routed by the topic's keyword "${route.keyword}"`,
        });
      }
      if (online) await this.machine.queueLast(tx, call);
      else await this.machine.publish(tx, call, r.userId);
      offers = await this.machine.distributor.dispatch(tx, callee.userId);
      return this.machine.view(tx, call.callId);
    });
    await this.machine.startTimer(view.call_id, view.hops.length, view.state, this.delays);
    if (escalateAfterS !== null)
      await this.machine.startPbxEscalation(view.call_id, view.hops.length, escalateAfterS * 1000);
    await this.machine.distributor.start(offers);
    return view;
  }

  get delays() {
    return { ring: this.config.ringTimeoutMs, offline: this.config.offlineDecisionMs };
  }

  /** A call another provider hosts, when `r` placed it there. */
  private async remote(r: Requester, callId: string) {
    return this.relay?.placedBy(r, callId);
  }

  /** Runs `action` at the host of a remote call `r` placed, or `here` for a call hosted here. */
  private async either(
    r: Requester,
    callId: string,
    action: RemoteCallAction,
    here: () => Promise<CallView>,
  ): Promise<CallView> {
    const remote = await this.remote(r, callId);
    return remote ? this.relay!.act(r, remote, action) : here();
  }

  /** A call its caller, its callee side (the person, or the service's operators) may see. */
  async get(r: Requester, callId: string): Promise<CallView> {
    const remote = await this.remote(r, callId);
    if (remote) return this.relay!.view(r, remote);
    return this.writer.read(async (sql) => {
      const call = await new CallsRepo(sql).get(callId);
      const mine =
        call &&
        (call.callerId === r.userId ||
          call.calleeId === r.userId ||
          call.operatorId === r.userId ||
          (await this.machine.desk.isOperator(sql, call.calleeId, r.userId)) ||
          // Whoever moved the call, or had it moved to them, still sees where it went.
          (call.hops > 0 &&
            (await new ServiceRoutingRepo(sql).hops(callId)).some(
              (h) => h.byId === r.userId || h.toId === r.userId,
            )));
      if (!mine) throw new ProtocolError("M_NOT_FOUND", "No such call");
      return callView(call, new Parties(this.writer.manager));
    });
  }

  /** The requester's queue: their own calls and those of the services they are online for, by arrival. */
  async queue(r: Requester): Promise<CallView[]> {
    return this.writer.read(async (sql) => {
      const parties = new Parties(this.writer.manager);
      const services = await new ServicesRepo(sql).onlineServicesOf(r.userId);
      const [shared, auto] = [DistributionMode.Shared, DistributionMode.Auto].map((m) =>
        services.filter((s) => s.mode === m).map((s) => s.accountId),
      );
      const calls = await new CallsRepo(sql).mergedQueueOf(r.userId, shared!, auto!);
      return Promise.all(calls.map((c) => callView(c, parties)));
    });
  }

  cancel = (r: Requester, callId: string) =>
    this.either(r, callId, { action: "cancel" }, () =>
      this.machine.change(r, callId, {
        role: "caller",
        // A caller who gives up on an offline subscriber leaves a missed call behind.
        to: CallState.Cancelled,
      }),
    );

  reply = (r: Requester, callId: string, text: string) =>
    this.machine.change(r, callId, { role: "callee", to: CallState.Replied, patch: { reply: text } });

  decline = (r: Requester, callId: string, reason?: string) =>
    this.machine.change(r, callId, {
      role: "callee",
      to: CallState.Declined,
      patch: { reason: reason || null },
    });

  end = (r: Requester, callId: string) =>
    this.either(r, callId, { action: "end" }, () =>
      this.machine.change(r, callId, { role: "either", to: CallState.Ended }),
    );

  /**
   * Takes a call: only the first of its queue; for a service, the taker becomes its operator and
   * the plan's maximum duration starts.
   */
  take = async (r: Requester, callId: string): Promise<CallView> => {
    const view = await this.machine.change(r, callId, {
      role: "callee",
      to: CallState.Answered,
      during: async (tx, call) => {
        const terms = await this.machine.desk.terms(tx, call.calleeId);
        // Automatic distribution: only the operator the call is offered to takes it.
        const auto = terms?.service.mode === DistributionMode.Auto;
        if (auto && call.state === CallState.Queued && call.offeredTo !== r.userId) {
          throw new ProtocolError("IO_CALLSIGN_NOT_OFFERED", "This call is offered to another operator");
        }
        const head = await new CallsRepo(tx).headOf(call.calleeId);
        if (!auto && call.state === CallState.Queued && head?.callId !== call.callId) {
          throw new ProtocolError("IO_CALLSIGN_NOT_HEAD", "Take the first call in the queue first", {
            head: head?.callId,
          });
        }
        await this.machine.members.join(tx, call.roomId, r.userId);
        // Taken on the web: a PBX ringing for the call is not needed any more (the bridge hangs it up).
        return {
          answeredAt: new Date(),
          operatorId: r.userId === call.calleeId ? null : r.userId,
          pbx: null,
          limitS: limitOf(terms),
        };
      },
    });
    await this.machine.startMaxDuration(view);
    return view;
  };

  /**
   * The caller leaves an SMS (with the call's topic) instead of waiting or talking, and may ask
   * to be called back (registered callers only).
   */
  leaveSms = async (r: Requester, callId: string, req: { text: string; call_back?: boolean }) => {
    if (req.call_back && r.isGuest) {
      throw new ProtocolError("IO_CALLSIGN_NOT_SUBSCRIBER", "Guests cannot be called back: register to ask");
    }
    const remote = await this.remote(r, callId);
    if (remote) return this.relay!.act(r, remote, { action: "sms", sms: req });
    return this.machine.change(r, callId, {
      role: "caller",
      to: CallState.LeftSms,
      during: async (tx, call) => {
        const sms = await new SmsRepo(tx).insert({
          smsId: newId(),
          fromId: call.callerId,
          toId: call.calleeId,
          topic: call.topic,
          text: req.text,
          callId: call.callId,
          replyTo: null,
          callBack: req.call_back ?? false,
        });
        return { smsId: sms.smsId };
      },
    });
  };
}
