/**
 * Subscriptions of Webcam services (spec/services.md "Plans and subscriptions"):
 *
 *   trialing (until trial_end) ─┐
 *   active (until period_end) ──┴→ past_due (still runs until pause_at) → paused
 *   any state ── an invoice paid → active (period_end moves on by one period)
 *
 * Every change is one transaction with its audit event; every deadline is a job keyed by the
 * service, the state and the deadline, which acts only if that deadline still holds — so a
 * payment in between, a duplicate job or a restart changes nothing about when a service moves
 * on. Housekeeping sweeps deadlines whose job was lost.
 */
import {
  SubscriptionState,
  type SubscriptionStateValue,
  type SubscriptionView,
} from "../../../../protocol/callsign/billing.js";
import type { Config } from "../../config/config.js";
import type { JobEngine } from "../../jobs/types.js";
import type { Database, Sql } from "../../storage/database.js";
import { SubscriptionsRepo, type SubscriptionRow } from "../../storage/repositories/billing.js";
import { BillingJobs, type SubscriptionDeadlineJob } from "./job-names.js";
import type { Plans } from "./plans.js";

/** How long past a deadline a subscription must be before the sweep moves it. */
const SWEEP_SLACK_MS = 60_000;

export type Deadline = SubscriptionDeadlineJob | undefined;

export class SubscriptionService {
  constructor(
    private readonly db: Database,
    private readonly plans: Plans,
    private readonly jobs: JobEngine,
    private readonly cfg: Config["billing"],
  ) {}

  /** A new service's free trial on the first plan (in the service's creating transaction). */
  async startTrialIn(tx: Sql, serviceId: string, now = Date.now()): Promise<Deadline> {
    const trialEnd = new Date(now + this.cfg.trialMs);
    await new SubscriptionsRepo(tx).insert({
      serviceId,
      plan: this.plans.trialPlan,
      state: SubscriptionState.Trialing,
      trialEnd,
      periodEnd: null,
      pauseAt: null,
    });
    await new SubscriptionsRepo(tx).logEvent(
      serviceId,
      null,
      SubscriptionState.Trialing,
      "free trial started",
    );
    return { serviceId, state: SubscriptionState.Trialing, at: trialEnd.getTime() };
  }

  async view(serviceId: string): Promise<SubscriptionView> {
    const repo = new SubscriptionsRepo(this.db);
    const s = (await repo.get(serviceId))!;
    const ms = (d: Date | null) => (d ? d.getTime() : null);
    return {
      service_id: serviceId,
      plan: this.plans.view(s.plan),
      state: s.state,
      trial_end: ms(s.trialEnd),
      period_end: ms(s.periodEnd),
      pause_at: ms(s.pauseAt),
      events: await repo.events(serviceId),
    };
  }

  /** Where the service's subscription stands (for the limits). */
  get(sql: Sql, serviceId: string): Promise<SubscriptionRow | undefined> {
    return new SubscriptionsRepo(sql).get(serviceId);
  }

  /** Switches the plan; it applies at once (new limits for what happens next). */
  async changePlan(serviceId: string, plan: string): Promise<SubscriptionView> {
    this.plans.view(plan);
    await this.db.transaction(async (tx) => {
      const repo = new SubscriptionsRepo(tx);
      const s = (await repo.get(serviceId, true))!;
      if (s.plan === plan) return;
      await repo.update(serviceId, { plan });
      await repo.logEvent(serviceId, s.state, s.state, `plan ${s.plan} → ${plan}`);
    });
    return this.view(serviceId);
  }

  /**
   * An invoice was paid: one more period, starting where the paid time ends (the trial's end,
   * the current period's end) or now if that is past. Runs in the payment's transaction.
   */
  async paidIn(
    tx: Sql,
    serviceId: string,
    reason: string,
    now = Date.now(),
  ): Promise<SubscriptionDeadlineJob> {
    const repo = new SubscriptionsRepo(tx);
    const s = (await repo.get(serviceId, true))!;
    const paidTo = Math.max(now, s.periodEnd?.getTime() ?? 0, s.trialEnd?.getTime() ?? 0);
    const periodEnd = new Date(paidTo + this.cfg.periodMs);
    await repo.update(serviceId, { state: SubscriptionState.Active, periodEnd, pauseAt: null });
    await repo.logEvent(serviceId, s.state, SubscriptionState.Active, reason);
    return { serviceId, state: SubscriptionState.Active, at: periodEnd.getTime() };
  }

  /** A paid invoice was refunded: its period is taken back (past due at once if nothing is left). */
  async refundedIn(tx: Sql, serviceId: string, reason: string, now = Date.now()): Promise<Deadline> {
    const repo = new SubscriptionsRepo(tx);
    const s = (await repo.get(serviceId, true))!;
    if (s.state !== SubscriptionState.Active || !s.periodEnd) return undefined;
    const periodEnd = new Date(s.periodEnd.getTime() - this.cfg.periodMs);
    // Paid during the trial: the trial's remaining time is still the service's.
    if (s.trialEnd && s.trialEnd.getTime() > now && periodEnd <= s.trialEnd) {
      await repo.update(serviceId, { state: SubscriptionState.Trialing, periodEnd: null });
      await repo.logEvent(serviceId, s.state, SubscriptionState.Trialing, reason);
      return { serviceId, state: SubscriptionState.Trialing, at: s.trialEnd.getTime() };
    }
    if (periodEnd.getTime() > now) {
      await repo.update(serviceId, { periodEnd });
      await repo.logEvent(serviceId, s.state, s.state, reason);
      return { serviceId, state: SubscriptionState.Active, at: periodEnd.getTime() };
    }
    return this.pastDue(tx, s, now, reason);
  }

  /** The job: moves a subscription past the deadline it was scheduled for, if it still holds. */
  async deadline(job: SubscriptionDeadlineJob, now = Date.now()): Promise<void> {
    if (job.at > now) return;
    const next = await this.db.transaction(async (tx) => {
      const repo = new SubscriptionsRepo(tx);
      const s = await repo.get(job.serviceId, true);
      if (!s || s.state !== job.state || dueOf(s)?.getTime() !== job.at) return undefined;
      if (s.state === SubscriptionState.PastDue) {
        await repo.update(s.serviceId, { state: SubscriptionState.Paused });
        await repo.logEvent(s.serviceId, s.state, SubscriptionState.Paused, "unpaid past the grace: paused");
        return undefined;
      }
      const why = s.state === SubscriptionState.Trialing ? "trial ended unpaid" : "period ended unpaid";
      return this.pastDue(tx, s, job.at, why);
    });
    await this.schedule(next);
  }

  async schedule(d: Deadline): Promise<void> {
    if (!d) return;
    await this.jobs.add<SubscriptionDeadlineJob>(BillingJobs.SubscriptionDeadline, d, {
      jobId: `${d.serviceId}|${d.state}|${d.at}`,
      delayMs: Math.max(0, d.at - Date.now()),
    });
  }

  /** Runs overdue deadlines whose job was lost (housekeeping). */
  async sweep(now = Date.now()): Promise<number> {
    const rows = await new SubscriptionsRepo(this.db).overdue(new Date(now - SWEEP_SLACK_MS));
    for (const s of rows)
      await this.deadline({ serviceId: s.serviceId, state: s.state, at: dueOf(s)!.getTime() }, now);
    return rows.length;
  }

  private async pastDue(tx: Sql, s: SubscriptionRow, from: number, reason: string): Promise<Deadline> {
    const pauseAt = new Date(from + this.cfg.pastDueMs);
    await new SubscriptionsRepo(tx).update(s.serviceId, { state: SubscriptionState.PastDue, pauseAt });
    await new SubscriptionsRepo(tx).logEvent(s.serviceId, s.state, SubscriptionState.PastDue, reason);
    return { serviceId: s.serviceId, state: SubscriptionState.PastDue, at: pauseAt.getTime() };
  }
}

/** The deadline a subscription in its state waits for. */
function dueOf(s: SubscriptionRow): Date | null {
  const due: Record<SubscriptionStateValue, Date | null> = {
    trialing: s.trialEnd,
    active: s.periodEnd,
    past_due: s.pauseAt,
    paused: null,
  };
  return due[s.state];
}
