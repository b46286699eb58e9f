/** Job handlers of billing: subscription deadlines (idempotent by design, like the names'). */
import type { AppContext } from "../../context.js";
import { BillingJobs, type SubscriptionDeadlineJob } from "../../services/billing/job-names.js";

export function defineBillingJobs(ctx: AppContext): void {
  ctx.jobs.define<SubscriptionDeadlineJob>(BillingJobs.SubscriptionDeadline, (job) =>
    ctx.subscriptions.deadline(job),
  );
}
