/**
 * Operators of services (spec/services.md "Operators"). The management team adds operators by
 * e-mail: an address with an account is active at once; one without gets a pending invitation
 * that becomes active when that person registers with it. An operator switches online per
 * service; online, they are invited to the service's waiting calls (so their `/sync` shows
 * them) and new calls ring them; offline, those invites are withdrawn. An operator counts as
 * online only while their client is connected too (presence), so a closed browser stops ringing.
 */
import type { OperatedServiceView, ServiceView } from "../../../../protocol/callsign/services.js";
import { AccountRules } from "../../../../protocol/matrix/auth.js";
import { DistributionMode } from "../../../../protocol/callsign/billing.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { Database } from "../../storage/database.js";
import { CallsRepo } from "../../storage/repositories/calls.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import type { CallMembers } from "../calls/call-members.js";
import type { PresenceService } from "../calls/presence.js";
import type { Requester } from "../requester.js";
import type { StreamWriter } from "../stream-writer.js";
import type { ServiceDesk } from "./desk.js";
import type { Distributor } from "./distribution.js";
import type { Notifier } from "../notifier.js";
import type { JobEngine } from "../../jobs/types.js";
import { ServiceJobs, type OperatorInviteJob } from "./job-names.js";
import type { ServiceRegistry } from "./service-registry.js";

export class Operators {
  constructor(
    private readonly db: Database,
    private readonly writer: StreamWriter,
    private readonly members: CallMembers,
    private readonly presence: PresenceService,
    private readonly registry: ServiceRegistry,
    private readonly desk: ServiceDesk,
    private readonly distributor: Distributor,
    private readonly notifier: Notifier,
    private readonly jobs: JobEngine,
  ) {}

  async add(r: Requester, serviceId: string, input: string): Promise<ServiceView> {
    await this.registry.managed(r, serviceId);
    const email = input.trim().toLowerCase();
    if (!AccountRules.emailPattern.test(email))
      throw new ProtocolError("M_INVALID_PARAM", "Invalid e-mail address");
    if (await new ServicesRepo(this.db).addOperator(serviceId, email, r.userId)) {
      await this.jobs.add<OperatorInviteJob>(
        ServiceJobs.OperatorInvite,
        { serviceId, email },
        { jobId: `invite|${serviceId}|${email}` },
      );
    }
    return this.registry.view(r, serviceId);
  }

  /** The team removes an operator, or an operator leaves; their invites to waiting calls go. */
  async remove(r: Requester, serviceId: string, input: string): Promise<void> {
    const email = input.trim().toLowerCase();
    const repo = new ServicesRepo(this.db);
    const own = (await repo.operator(serviceId, r.userId))?.email === email;
    if (!own) await this.registry.managed(r, serviceId);
    const removed = await repo.removeOperator(serviceId, email);
    if (!removed) throw new ProtocolError("M_NOT_FOUND", `${email} is not an operator of this service`);
    if (removed.userId) await this.ring(serviceId, removed.userId, false);
  }

  /** Switches the requester online or offline for the service. */
  async setOnline(r: Requester, serviceId: string, online: boolean): Promise<OperatedServiceView> {
    const repo = new ServicesRepo(this.db);
    const service = await repo.get(serviceId);
    if (!service || !(await repo.operator(serviceId, r.userId))) {
      throw new ProtocolError("M_NOT_FOUND", "No such service");
    }
    if (online) {
      const { plan } = (await this.desk.terms(this.db, service.accountId))!;
      const others = (await this.desk.onlineOperators(this.db, service.accountId)).filter(
        (u) => u !== r.userId,
      );
      if (others.length >= plan.max_operators) {
        throw new ProtocolError(
          "IO_CALLSIGN_PLAN_LIMIT",
          `The ${plan.plan} plan allows ${plan.max_operators} operators online at once`,
          { max_operators: plan.max_operators },
        );
      }
    }
    await repo.setOnline(serviceId, r.userId, online);
    if (online) await this.presence.touch(r.userId, "online", Date.now(), true);
    await this.ring(serviceId, r.userId, online);
    // Site widgets waiting on the service's state hear of it at once.
    this.notifier.publish(0, [service.accountId]);
    return (await this.registry.operated(r, serviceId))[0]!;
  }

  /**
   * Invites the operator to the service's waiting calls, or withdraws those invites; in auto
   * mode the distribution offers calls to them instead (and hands their offers on when they go).
   */
  private async ring(serviceId: string, userId: string, on: boolean): Promise<void> {
    const service = await new ServicesRepo(this.db).get(serviceId);
    if (!service) return;
    const offers = await this.writer.write(async (tx) => {
      if (service.mode === DistributionMode.Auto) {
        return on
          ? this.distributor.dispatch(tx, service.accountId)
          : this.distributor.withdrawOffers(tx, service.accountId, userId);
      }
      for (const call of await new CallsRepo(tx).waitingFor(service.accountId)) {
        if (on) await this.members.invite(tx, call.roomId, call.callerId, [userId]);
        else await this.members.withdraw(tx, call.roomId, { only: [userId] });
      }
      return [];
    });
    await this.distributor.start(offers);
  }
}
