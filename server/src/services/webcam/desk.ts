/**
 * What the calls need to know about services: whether a callee account is a service, who of its
 * operators is online (switched on for it, and their client connected — presence), and which
 * service queues an operator sees. One place, so placing, taking and transferring agree.
 */
import type { EntityManager } from "typeorm";
import type { Sql } from "../../storage/database.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import type { AccountRow } from "../../storage/entities/index.js";
import { ServicesRepo, type ServiceRow } from "../../storage/repositories/services.js";
import { DistributionMode, SubscriptionState, type PlanView } from "../../../../protocol/callsign/billing.js";
import { SubscriptionsRepo } from "../../storage/repositories/billing.js";
import type { PresenceService } from "../calls/presence.js";
import type { Plans } from "../billing/plans.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import { isOpen } from "./hours.js";
import { routeFor } from "./routing.js";

export interface ServiceTerms {
  service: ServiceRow;
  plan: PlanView;
  /** Unpaid past the grace. */
  paused: boolean;
}

/** Seconds a call answered under `terms` may last (the plan's maximum); null without terms. */
export const limitOf = (terms: ServiceTerms | undefined): number | null =>
  terms ? Math.max(1, Math.round(terms.plan.max_call_minutes * 60)) : null;

export interface ServiceStanding extends ServiceTerms {
  /** Within its operating hours. */
  open: boolean;
  /** Online operators, in the order they joined; none while closed or paused. */
  operators: string[];
}

export interface Reach {
  online: boolean;
  ringing: string[];
  /** For a service: where it stands. */
  standing?: ServiceStanding;
}

export class ServiceDesk {
  constructor(
    private readonly presence: PresenceService,
    private readonly plans: Plans,
    private readonly manager: EntityManager,
  ) {}

  /**
   * The terms a service works under now: its plan and whether it is paused (unpaid past the
   * grace). Undefined for a person's account.
   */
  async terms(sql: Sql, accountId: string): Promise<ServiceTerms | undefined> {
    const service = await this.service(sql, accountId);
    if (!service) return undefined;
    const sub = await new SubscriptionsRepo(sql).get(service.serviceId);
    return {
      service,
      plan: this.plans.view(sub?.plan ?? this.plans.trialPlan),
      paused: sub?.state === SubscriptionState.Paused,
    };
  }

  /**
   * Where a service stands now, read once: its terms, whether it is within its hours, and its
   * operators online — none while it is closed or paused. Undefined for a person's account.
   */
  async standing(sql: Sql, accountId: string, now = new Date()): Promise<ServiceStanding | undefined> {
    const terms = await this.terms(sql, accountId);
    if (!terms) return undefined;
    const open = isOpen(terms.service.hours, now);
    const operators = open && !terms.paused ? await this.onlineOperators(sql, accountId, now.getTime()) : [];
    return { ...terms, open, operators };
  }

  /**
   * Whether the account can take a call now — a person online, or a service within its hours,
   * not paused, with an operator online — and who rings for a call to it: the person (online or
   * not: the call waits in their invites), or a shared-queue service's online operators (an auto
   * service's calls are offered one operator at a time by the distribution).
   */
  async reach(sql: Sql, account: Pick<AccountRow, "userId" | "kind">, now = new Date()): Promise<Reach> {
    if (account.kind !== "service") {
      return { online: await this.presence.isOnline(account.userId), ringing: [account.userId] };
    }
    const standing = await this.standing(sql, account.userId, now);
    const operators = standing?.operators ?? [];
    const auto = standing?.service.mode === DistributionMode.Auto;
    return { online: operators.length > 0, ringing: auto ? [] : operators, standing };
  }

  async isOnline(sql: Sql, account: Pick<AccountRow, "userId" | "kind">, now = new Date()): Promise<boolean> {
    return (await this.reach(sql, account, now)).online;
  }

  /** Activity at or after this moment still counts as online. */
  activeSince(now = Date.now()): Date {
    return this.presence.activeSince(now);
  }

  /**
   * Where a call to `account` with `topic` goes by the service's routing rules: another service
   * that takes calls now, or undefined (stay).
   */
  async route(sql: Sql, account: AccountRow, topic: string | null) {
    const service = account.kind === "service" ? await this.service(sql, account.userId) : undefined;
    const routed = service && (await routeFor(sql, service.serviceId, topic));
    if (!routed) return undefined;
    const target = (await new AccountsRepo(this.manager).byUserId(routed.target.accountId))!;
    if ((await this.terms(sql, target.userId))?.paused) return undefined;
    return { account: target, keyword: routed.keyword };
  }

  /** Refuses a call to a paused service (unpaid), with a message the caller can read. */
  async assertTakingCalls(sql: Sql, account: AccountRow): Promise<void> {
    if (account.kind !== "service") return;
    if ((await this.terms(sql, account.userId))?.paused) {
      throw new ProtocolError(
        "IO_CALLSIGN_SERVICE_PAUSED",
        `${account.displayName ?? "This service"} is not taking calls at the moment: its subscription is unpaid`,
      );
    }
  }

  service(sql: Sql, accountId: string): Promise<ServiceRow | undefined> {
    return new ServicesRepo(sql).byAccount(accountId);
  }

  /** The online operators of the service with account `accountId`, in the order they joined it. */
  onlineOperators(sql: Sql, accountId: string, now = Date.now()): Promise<string[]> {
    return new ServicesRepo(sql).onlineOperators(accountId, this.presence.activeSince(now));
  }

  async isOnlineOperator(sql: Sql, accountId: string, userId: string): Promise<boolean> {
    return (await this.onlineOperators(sql, accountId)).includes(userId);
  }

  /** Whether `userId` operates the service with account `accountId` at all (online or not). */
  async isOperator(sql: Sql, accountId: string, userId: string): Promise<boolean> {
    const service = await this.service(sql, accountId);
    return !!service && !!(await new ServicesRepo(sql).operator(service.serviceId, userId));
  }

  /** Whether `userId` may handle the inbox of `accountId`: their own, or a service they work for. */
  async actsFor(sql: Sql, userId: string, accountId: string): Promise<boolean> {
    return userId === accountId || (await new ServicesRepo(sql).worksFor(accountId, userId));
  }
}
