/**
 * Automatic distribution (spec/services.md "Distribution"): in a service in `auto` mode a
 * waiting call is offered to one free operator at a time — free: online for the service, not
 * talking in one of its calls, without another offer — the one offered least recently first
 * (round robin). Only that operator is rung (invited) and may take it; when the offer times out
 * it moves on to the next free operator. `dispatch` runs inside the transaction of whatever
 * changed the picture (a call placed or ended, an operator online or freed, a transfer) and
 * returns the offer timers to start once it commits.
 */
import { ServiceRoutingRepo } from "../../storage/repositories/service-routing.js";
import { DistributionMode } from "../../../../protocol/callsign/billing.js";
import type { Logger } from "pino";
import type { JobEngine } from "../../jobs/types.js";
import { CallsRepo } from "../../storage/repositories/calls.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import type { CallMembers } from "../calls/call-members.js";
import type { StreamWriter, WriteTx } from "../stream-writer.js";
import type { ServiceDesk } from "./desk.js";

export const DistributionJobs = {
  /** An offer of a call to one operator ran out: offer it to the next. Job ID: `<callId>.offer.<n>`. */
  OfferTimeout: "call-offer-timeout",
} as const;

export interface OfferJob {
  callId: string;
  /** The offer's number (`calls.offer_seq`): a later offer makes this job do nothing. */
  offer: number;
}

export interface OfferTimer extends OfferJob {
  delayMs: number;
}

export class Distributor {
  constructor(
    private readonly writer: StreamWriter,
    private readonly desk: ServiceDesk,
    private readonly members: CallMembers,
    private readonly jobs: JobEngine,
    private readonly logger: Pick<Logger, "error">,
  ) {}

  /** Offers the auto service's unoffered calls, first first, to its free operators. */
  async dispatch(tx: WriteTx, accountId: string): Promise<OfferTimer[]> {
    const terms = await this.desk.standing(tx, accountId);
    if (!terms || terms.service.mode !== DistributionMode.Auto || terms.operators.length === 0) return [];
    const free = await new ServiceRoutingRepo(tx).freeOperators(accountId, this.desk.activeSince());
    const waiting = await new CallsRepo(tx).unoffered(accountId);
    const timers: OfferTimer[] = [];
    for (const [i, call] of waiting.slice(0, free.length).entries()) {
      const operator = free[i]!;
      const offer = await new CallsRepo(tx).setOffer(call.callId, operator);
      await new ServiceRoutingRepo(tx).markOffered(terms.service.serviceId, operator);
      await this.members.withdraw(tx, call.roomId, { keep: [operator] });
      await this.members.invite(tx, call.roomId, call.callerId, [operator]);
      timers.push({ callId: call.callId, offer, delayMs: terms.service.offerTimeoutS * 1000 });
    }
    return timers;
  }

  /** An operator became free (or came online): their auto services hand out what waits. */
  async dispatchFor(tx: WriteTx, userId: string): Promise<OfferTimer[]> {
    const timers: OfferTimer[] = [];
    for (const s of await new ServicesRepo(tx).onlineServicesOf(userId)) {
      if (s.mode === DistributionMode.Auto) timers.push(...(await this.dispatch(tx, s.accountId)));
    }
    return timers;
  }

  /** Withdraws the offers made to an operator who went offline, and hands those calls on. */
  async withdrawOffers(tx: WriteTx, accountId: string, userId: string): Promise<OfferTimer[]> {
    for (const call of await new CallsRepo(tx).waitingFor(accountId)) {
      if (call.offeredTo !== userId) continue;
      await new CallsRepo(tx).setOffer(call.callId, null);
      await this.members.withdraw(tx, call.roomId, { only: [userId] });
    }
    return this.dispatch(tx, accountId);
  }

  /** Starts the offer timers once the transaction that made the offers committed. */
  async start(timers: OfferTimer[]): Promise<void> {
    for (const t of timers) {
      try {
        await this.jobs.add<OfferJob>(
          DistributionJobs.OfferTimeout,
          { callId: t.callId, offer: t.offer },
          { jobId: `${t.callId}.offer.${t.offer}`, delayMs: t.delayMs },
        );
      } catch (err) {
        // The offer stays until the call is taken or ends; the caller is not lost.
        this.logger.error({ err }, "could not start an offer's time-out");
      }
    }
  }

  /** The job: nobody took the offer in time; the call goes to the next free operator. */
  async offerTimeout(job: OfferJob): Promise<void> {
    const timers = await this.writer.write(async (tx) => {
      const call = await new CallsRepo(tx).get(job.callId, true);
      if (!call || call.state !== "queued" || !call.offeredTo || call.offerSeq !== job.offer) return [];
      await new CallsRepo(tx).setOffer(call.callId, null);
      await this.members.withdraw(tx, call.roomId, { only: [call.offeredTo] });
      return this.dispatch(tx, call.calleeId);
    });
    await this.start(timers);
  }
}
