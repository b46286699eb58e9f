/** Job handlers of the names subsystem: deadlines (idempotent by design) and claim notices. */
import type { AppContext } from "../../context.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { NamesRepo } from "../../storage/repositories/names.js";
import { NameJobs, type NameClaimedJob, type NameDeadlineJob } from "../../services/names/job-names.js";
import { DomainJobs, type RecheckJob } from "../../services/names/domain-service.js";
import { nameClaimedEmail } from "../../services/notify/templates.js";

export function defineNameJobs(ctx: AppContext): void {
  ctx.jobs.define<NameDeadlineJob>(NameJobs.Deadline, (job) => ctx.names.deadline(job));
  ctx.jobs.define<RecheckJob>(DomainJobs.Recheck, (job) => ctx.domains.recheck(job));
  ctx.jobs.define<NameClaimedJob>(NameJobs.Claimed, async (job) => {
    const holder = await new AccountsRepo(ctx.db.dataSource.manager).byUserId(job.holderId);
    if (!holder?.email) return;
    const row = await new NamesRepo(ctx.db).get(job.name);
    const stillTheirs = row && row.holderId === job.holderId && row.state !== "released";
    const until = stillTheirs ? (row.paidUntil ?? row.heldUntil ?? undefined) : undefined;
    const mail = nameClaimedEmail({
      toName: holder.displayName ?? holder.number ?? "",
      name: job.name,
      domain: job.domain,
      until,
      link: `${ctx.baseUrl}/names`,
    });
    await ctx.email.send({ to: holder.email, ...mail });
  });
}
