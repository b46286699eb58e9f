import { INBOX_ACCOUNT_DATA } from "../../../../protocol/callsign/calls.js";
import { CallsRepo, SmsRepo } from "../../storage/repositories/calls.js";
import { AccountDataRepo } from "../../storage/repositories/user-streams.js";
import type { WriteTx } from "../stream-writer.js";

/**
 * Rewrites the subscriber's `io.callsign.inbox` account data with the current unread counts,
 * inside the transaction that changed the inbox: their clients' `/sync` wakes and shows it.
 */
export async function refreshInboxCounts(tx: WriteTx, userId: string): Promise<void> {
  const content = {
    unread_sms: await new SmsRepo(tx).unread(userId),
    unread_missed: await new CallsRepo(tx).unreadMissed(userId),
  };
  await new AccountDataRepo(tx).put(await tx.nextPosition(), userId, "", INBOX_ACCOUNT_DATA, content);
  tx.notify(userId);
}
