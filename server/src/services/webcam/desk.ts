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
  async terms(
    sql: Sql,
    accountId: string,
  ): Promise<{ service: ServiceRow; plan: PlanView; paused: boolean } | undefined> {
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
   * Whether the account can take a call now: a person online, or a service within its hours
   * with an operator online.
   */
  async isOnline(sql: Sql, account: Pick<AccountRow, "userId" | "kind">, now = new Date()): Promise<boolean> {
    if (account.kind !== "service") return this.presence.isOnline(account.userId);
    const terms = await this.terms(sql, account.userId);
    if (!terms || terms.paused || !isOpen(terms.service.hours, now)) return false;
    return (await this.onlineOperators(sql, account.userId, now.getTime())).length > 0;
  }

  /** Activity at or after this moment still counts as online. */
  activeSince(now = Date.now()): Date {
    return this.presence.activeSince(now);
  }

  /**
   * Who rings for a call to the account: the person (online or not: the call waits in their
   * invites), or a shared-queue service's online operators while it is open and not paused
   * (else nobody; an auto service's calls are offered by the distribution).
   */
  async ringing(sql: Sql, account: AccountRow, now = new Date()): Promise<string[]> {
    if (account.kind !== "service") return [account.userId];
    if (!(await this.isOnline(sql, account, now))) return [];
    // In auto mode the distribution offers each call to one operator at a time.
    if ((await this.terms(sql, account.userId))!.service.mode === DistributionMode.Auto) return [];
    return this.onlineOperators(sql, account.userId, now.getTime());
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

  /** Whether the service with account `accountId` is within its hours. */
  async isOpen(sql: Sql, accountId: string, now = new Date()): Promise<boolean> {
    const service = await this.service(sql, accountId);
    return !service || isOpen(service.hours, now);
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
