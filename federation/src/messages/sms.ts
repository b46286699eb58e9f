/**
 * SMS across providers (spec/federation.md "SMS"): an SMS to a party of another provider — a
 * reply to an SMS it left here, and back — is stored here in the sender's history and queued,
 * in the same transaction, as a delivery item to the recipient's provider, which files it in
 * the recipient's inbox under the same ID (so replies point at it on both sides). Delivery is
 * the queue's: exactly once, in order, also after the recipient's provider was down.
 */
import { CallItemKinds, SmsItem, type RemoteParty } from "../../../protocol/federation/calls.js";
import { ProtocolError } from "../../../protocol/errors.js";
import { serverOf } from "../../../protocol/ids.js";
import { parse } from "../../../server/src/http/route.js";
import { refreshInboxCounts } from "../../../server/src/services/calls/inbox-counts.js";
import { CallJobs, type NotifyEmailJob } from "../../../server/src/services/calls/job-names.js";
import type { SmsRelay } from "../../../server/src/services/calls/inbox-service.js";
import type { WriteTx } from "../../../server/src/services/stream-writer.js";
import type { JobEngine } from "../../../server/src/jobs/types.js";
import type { AccountRow } from "../../../server/src/storage/entities/index.js";
import { AccountsRepo } from "../../../server/src/storage/repositories/accounts.js";
import { CallsRepo, SmsRepo, type SmsRow } from "../../../server/src/storage/repositories/calls.js";
import type { FederationDelivery } from "../outbound/delivery.js";
import type { InboundItemHandler } from "../inbound/items.js";
import { recordParty } from "../calls/parties.js";

/** Queues SMS to other providers' parties. */
export class SmsSender implements SmsRelay {
  constructor(private readonly delivery: FederationDelivery) {}

  async send(tx: WriteTx, sms: SmsRow, to: AccountRow): Promise<void> {
    const from = (await new AccountsRepo(tx.manager).byUserId(sms.fromId))!;
    const item: SmsItem = {
      sms_id: sms.smsId,
      from: partyOf(from),
      to: to.userId,
      topic: sms.topic,
      text: sms.text,
      call_id: sms.callId,
      reply_to: sms.replyTo,
      call_back: sms.callBack,
    };
    await this.delivery.enqueue(tx, to.provider!, CallItemKinds.sms, item);
  }
}

const partyOf = (a: AccountRow): RemoteParty => ({
  user_id: a.userId,
  kind: a.kind,
  display_name: a.displayName,
});

/** Files an SMS from another provider's party in one of our inboxes. */
export function receiveSms(serverName: string, jobs: JobEngine): InboundItemHandler {
  return async (tx: WriteTx, origin: string, payload: Record<string, unknown>) => {
    const s = parse(SmsItem, payload, "item");
    const to = serverOf(s.to) === serverName ? await new AccountsRepo(tx.manager).byUserId(s.to) : null;
    if (!to || to.provider !== null || to.kind === "guest" || to.deactivated) {
      throw new ProtocolError("IO_CALLSIGN_UNKNOWN_HANDLE", `Nobody here takes SMS as ${s.to}`);
    }
    const repo = new SmsRepo(tx);
    if (await repo.get(s.sms_id)) return;
    const from = await recordParty(tx, origin, s.from);
    // References to what this provider does not hold (the peer's own calls and SMS) are dropped.
    const known = async (id: string | null, exists: (id: string) => Promise<unknown>) =>
      id && (await exists(id)) ? id : null;
    const row = await repo.insert({
      smsId: s.sms_id,
      fromId: from.userId,
      toId: to.userId,
      topic: s.topic,
      text: s.text,
      callId: await known(s.call_id, (id) => new CallsRepo(tx).get(id)),
      replyTo: await known(s.reply_to, (id) => repo.get(id)),
      callBack: s.call_back && !from.isGuest,
    });
    await refreshInboxCounts(tx, to.userId);
    tx.afterCommit(() =>
      jobs
        .add<NotifyEmailJob>(
          CallJobs.NotifyEmail,
          { kind: "sms", id: row.smsId },
          { jobId: `sms-${row.smsId}` },
        )
        .then(() => undefined),
    );
  };
}
