/**
 * Transfer (spec/services.md "Transfer"): an operator moves a call of their service — waiting,
 * or the one they are talking in — to another service of the same customer or to one of its
 * operators, with a note. The call keeps its ID, room, topic and caller; it joins the new queue
 * at its original arrival (a transferred caller does not start again at the back), or waits
 * offline there when nobody is online. The operator who had it leaves the room; the old
 * service's invites are withdrawn and the new side's are sent; a hop is recorded; the time-out
 * restarts under the new hop.
 */
import { ServiceRoutingRepo } from "../../storage/repositories/service-routing.js";
import { CallState, type CallView } from "../../../../protocol/callsign/calls.js";
import type { TransferRequest } from "../../../../protocol/callsign/services.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { z } from "zod";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { CallsRepo, type CallRow } from "../../storage/repositories/calls.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import type { Requester } from "../requester.js";
import type { WriteTx } from "../stream-writer.js";
import type { OfferTimer } from "../webcam/distribution.js";
import type { CallMachine } from "./call-machine.js";

export class CallTransfer {
  constructor(
    private readonly machine: CallMachine,
    private readonly delays: () => { ring: number; offline: number },
  ) {}

  async transfer(r: Requester, callId: string, req: z.infer<typeof TransferRequest>): Promise<CallView> {
    let oldHop = 0;
    let offers: OfferTimer[] = [];
    let left: CallRow | undefined;
    const view = await this.machine.writer.write(async (tx) => {
      const calls = new CallsRepo(tx);
      const call = await calls.get(callId, true);
      if (!call) throw new ProtocolError("M_NOT_FOUND", "No such call");
      const side = await this.machine.sideOf(tx, r.userId, call);
      if (!side) throw new ProtocolError("M_NOT_FOUND", "No such call");
      if (side !== "callee")
        throw new ProtocolError("M_FORBIDDEN", "Only the callee's side transfers a call");
      const movable = [CallState.Queued, CallState.Offline, CallState.Answered] as string[];
      if (!movable.includes(call.state)) {
        throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", `The call is ${call.state}`, {
          state: call.state,
        });
      }
      // Its PBX leg is answered on the taker's own connection, which cannot move to another.
      if (call.fromPbx && call.state === CallState.Answered) {
        throw new ProtocolError(
          "IO_CALLSIGN_BAD_TRANSITION",
          "A call from a company's phone system stays with whoever answered it: transfer it on the PBX",
          { state: call.state },
        );
      }
      const customerId = await this.serviceOfCall(tx, callId, call.calleeId);
      const target = await this.target(tx, customerId, req);
      if (target === call.calleeId) throw new ProtocolError("M_INVALID_PARAM", "The call is already there");

      const targetAccount = (await new AccountsRepo(tx.manager).byUserId(target))!;
      await this.machine.desk.assertTakingCalls(tx, targetAccount);
      const { online, ringing } = await this.machine.desk.reach(tx, targetAccount);
      oldHop = call.hops;
      left = call;
      const hop = call.hops + 1;
      await new ServiceRoutingRepo(tx).addHop({
        callId,
        hop,
        fromId: call.calleeId,
        toId: target,
        byId: r.userId,
        note: req.note || null,
      });
      const state = online ? CallState.Queued : CallState.Offline;
      const patch = {
        calleeId: target,
        operatorId: null,
        offeredTo: null,
        hops: hop,
        state,
        position: null,
        answeredAt: null,
      };
      if (!(await calls.update(callId, call.state, patch))) {
        throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", "The call changed meanwhile", {
          state: call.state,
        });
      }
      const members = this.machine.members;
      if (call.operatorId) await members.leave(tx, call.roomId, call.operatorId);
      await members.withdraw(tx, call.roomId);
      await members.invite(tx, call.roomId, call.callerId, ringing);
      if (call.state === CallState.Queued) await this.machine.reposition(tx, call.calleeId);
      if (online) await this.machine.reposition(tx, target, callId);
      else await this.machine.publish(tx, { ...call, ...patch }, r.userId);
      // Automatic distribution at either end, and for the operator who is free again.
      const distributor = this.machine.distributor;
      offers = [
        ...(await distributor.dispatch(tx, target)),
        ...(await distributor.dispatch(tx, call.calleeId)),
      ];
      if (call.operatorId) offers.push(...(await distributor.dispatchFor(tx, call.operatorId)));
      return this.machine.view(tx, callId);
    });
    await this.machine.distributor.start(offers);
    if (left?.operatorId) await this.machine.settled(callId, false, { ...left, operatorId: left.operatorId });
    await this.machine.cancelTimers(callId, oldHop);
    await this.machine.startTimer(callId, oldHop + 1, view.state, this.delays());
    return view;
  }

  /** The service the call is at: a service's queue, or an operator's own after a transfer to them. */
  private async serviceOfCall(tx: WriteTx, callId: string, calleeId: string) {
    const customerId =
      (await new ServicesRepo(tx).byAccount(calleeId))?.customerId ??
      (await new ServiceRoutingRepo(tx).customerOfHops(callId));
    if (!customerId) throw new ProtocolError("M_FORBIDDEN", "Only calls to a service can be transferred");
    return customerId;
  }

  /** The account the call goes to: a service of the customer, or an operator of one of its services. */
  private async target(
    tx: WriteTx,
    customerId: string,
    req: z.infer<typeof TransferRequest>,
  ): Promise<string> {
    const repo = new ServicesRepo(tx);
    if (req.service_id) {
      const service = await repo.get(req.service_id);
      if (!service || service.customerId !== customerId) {
        throw new ProtocolError("M_NOT_FOUND", "No such service of this customer");
      }
      return service.accountId;
    }
    if (!(await repo.operatesFor(customerId, req.user_id!))) {
      throw new ProtocolError("M_NOT_FOUND", "No such operator of this customer");
    }
    return req.user_id!;
  }
}
