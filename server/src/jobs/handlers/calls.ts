/**
 * Job handlers of the calling subsystem. Each is idempotent: a time-out only moves a call that
 * is still waiting (the state machine refuses a second ending), a tag is marked expired once,
 * and an e-mail job re-reads what it reports on.
 */
import type { AppContext } from "../../context.js";
import { CallState } from "../../../../protocol/callsign/calls.js";
import type { AccountRow } from "../../storage/entities/index.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { ServicesRepo } from "../../storage/repositories/services.js";
import { CallsRepo, SmsRepo } from "../../storage/repositories/calls.js";
import {
  CallJobs,
  type CallJob,
  type NotifyEmailJob,
  type TagExpiryJob,
} from "../../services/calls/job-names.js";
import { missedCallEmail, smsEmail } from "../../services/notify/templates.js";
import { DistributionJobs, type OfferJob } from "../../services/webcam/distribution.js";

export function defineCallJobs(ctx: AppContext): void {
  ctx.jobs.define<CallJob>(CallJobs.RingTimeout, ({ callId, hop }) =>
    ctx.callTimers.timeout(callId, CallState.Queued, hop ?? 0),
  );
  ctx.jobs.define<CallJob>(CallJobs.OfflineTimeout, ({ callId, hop }) =>
    ctx.callTimers.timeout(callId, CallState.Offline, hop ?? 0),
  );
  ctx.jobs.define<CallJob>(CallJobs.PbxEscalate, ({ callId, hop }) =>
    ctx.callTimers.escalate(callId, hop ?? 0),
  );
  ctx.jobs.define<CallJob>(CallJobs.MaxDuration, ({ callId, hop }) =>
    ctx.callTimers.maxDuration(callId, hop ?? 0),
  );
  ctx.jobs.define<OfferJob>(DistributionJobs.OfferTimeout, (job) => ctx.distributor.offerTimeout(job));
  ctx.jobs.define<TagExpiryJob>(CallJobs.TagExpiry, (job) => ctx.tags.expire(job));
  ctx.jobs.define<NotifyEmailJob>(CallJobs.NotifyEmail, (job) => notify(ctx, job));
}

async function notify(ctx: AppContext, job: NotifyEmailJob): Promise<void> {
  const accounts = new AccountsRepo(ctx.db.dataSource.manager);
  const link = `${ctx.baseUrl}/inbox`;
  const name = (a: { displayName: string | null; number: string | null } | null) =>
    a?.displayName ?? a?.number ?? "A guest";
  if (job.kind === "sms") {
    const sms = await new SmsRepo(ctx.db).get(job.id);
    if (!sms) return;
    const [to, from] = [await accounts.byUserId(sms.toId), await accounts.byUserId(sms.fromId)];
    if (!to) return;
    const mail = smsEmail({
      toName: name(to),
      fromName: name(from),
      fromNumber: from?.number ?? undefined,
      topic: sms.topic ?? undefined,
      text: sms.text,
      link,
    });
    for (const address of await recipients(ctx, to)) await ctx.email.send({ to: address, ...mail });
  } else {
    const call = await new CallsRepo(ctx.db).get(job.id);
    if (!call || call.state !== CallState.Missed) return;
    const [to, caller] = [await accounts.byUserId(call.calleeId), await accounts.byUserId(call.callerId)];
    if (!to) return;
    const mail = missedCallEmail({
      toName: name(to),
      callerName: name(caller),
      callerNumber: caller?.number ?? undefined,
      topic: call.topic ?? undefined,
      at: call.endedAt ?? call.createdAt,
      link,
    });
    for (const address of await recipients(ctx, to)) await ctx.email.send({ to: address, ...mail });
  }
}

/** A person hears of their inbox; a service's news goes to its operators (or its owner). */
async function recipients(ctx: AppContext, to: AccountRow): Promise<string[]> {
  if (to.kind === "service") return new ServicesRepo(ctx.db).inboxRecipients(to.userId);
  return to.email ? [to.email] : [];
}
