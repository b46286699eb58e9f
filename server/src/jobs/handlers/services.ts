/** Job handlers of Webcam services: the operator invitation e-mail (re-reads what it reports on). */
import type { AppContext } from "../../context.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import { ServiceJobs, type OperatorInviteJob } from "../../services/webcam/job-names.js";
import { operatorInviteEmail } from "../../services/notify/templates.js";

export function defineServiceJobs(ctx: AppContext): void {
  ctx.jobs.define<OperatorInviteJob>(ServiceJobs.OperatorInvite, async ({ serviceId, email }) => {
    const repo = new ServicesRepo(ctx.db);
    const service = await repo.get(serviceId);
    const operator = service && (await repo.operators(serviceId)).find((o) => o.email === email);
    // Removed meanwhile: nothing to tell.
    if (!service || !operator) return;
    const account = (await new AccountsRepo(ctx.db.dataSource.manager).byUserId(service.accountId))!;
    const mail = operatorInviteEmail({
      service: account.displayName ?? account.number ?? "",
      handle: account.username,
      hasAccount: operator.userId !== null,
      link: `${ctx.baseUrl}/`,
    });
    await ctx.email.send({ to: email, ...mail });
  });
}
