/**
 * Job handlers of federation delivery: a destination's run sends what is queued for it (safe
 * to run again: a transaction is resent under the same ID and the peer applies it once).
 */
import type { AppContext } from "../../context.js";
import { FederationJobs, type DeliverJob } from "../../../../federation/src/outbound/job-names.js";

export function defineFederationJobs(ctx: AppContext): void {
  ctx.jobs.define<DeliverJob>(FederationJobs.Deliver, ({ destination }) => ctx.delivery.run(destination));
}
