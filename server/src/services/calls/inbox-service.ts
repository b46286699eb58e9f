/**
 * The subscriber's inbox: SMS received and missed calls, with unread counts, replies to SMS and
 * one-click call-backs. Every change rewrites the `io.callsign.inbox` account data in the same
 * transaction, so the subscriber's clients hear of it through `/sync`.
 */
import { randomBytes } from "node:crypto";
import {
  CallState,
  type CallView,
  type InboxOptions,
  type InboxView,
  type SmsView,
} from "../../../../protocol/callsign/calls.js";
import { ProtocolError } from "../../../../protocol/errors.js";
import type { JobEngine } from "../../jobs/types.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { CallsRepo, SmsRepo } from "../../storage/repositories/calls.js";
import { InboxOptionsRepo } from "../../storage/repositories/subscribers.js";
import type { Requester } from "../accounts.js";
import type { StreamWriter } from "../stream-writer.js";
import type { CallService } from "./call-service.js";
import { refreshInboxCounts } from "./inbox-counts.js";
import { CallJobs, type NotifyEmailJob } from "./job-names.js";
import { callView, Parties, smsView } from "./views.js";

export class InboxService {
  constructor(
    private readonly writer: StreamWriter,
    private readonly calls: CallService,
    private readonly jobs: JobEngine,
  ) {}

  async inbox(r: Requester): Promise<InboxView> {
    const parties = new Parties(this.writer.manager);
    return this.writer.read(async (sql) => {
      const sms = await new SmsRepo(sql).to(r.userId);
      const missed = await new CallsRepo(sql).missedOf(r.userId);
      return {
        sms: await Promise.all(sms.map((s) => smsView(s, parties))),
        missed: await Promise.all(
          missed.map(async (c) => ({ ...(await callView(c, parties)), read: c.calleeReadAt !== null })),
        ),
        unread: {
          sms: await new SmsRepo(sql).unread(r.userId),
          missed: await new CallsRepo(sql).unreadMissed(r.userId),
        },
      };
    });
  }

  async markRead(r: Requester, ids: { sms?: string[]; calls?: string[] }): Promise<void> {
    await this.writer.write(async (tx) => {
      const changed =
        (ids.sms?.length ? await new SmsRepo(tx).markRead(r.userId, ids.sms) : 0) +
        (ids.calls?.length ? await new CallsRepo(tx).markRead(r.userId, ids.calls) : 0);
      if (changed) await refreshInboxCounts(tx, r.userId);
    });
  }

  /** Who sent the SMS, checked to be `r`'s and a subscriber (guests cannot be answered). */
  private async smsSender(r: Requester, smsId: string) {
    const sms = await this.writer.read((sql) => new SmsRepo(sql).get(smsId));
    if (!sms || sms.toId !== r.userId) throw new ProtocolError("M_NOT_FOUND", "No such SMS");
    const sender = await new AccountsRepo(this.writer.manager).byUserId(sms.fromId);
    if (!sender || sender.kind !== "user") {
      throw new ProtocolError(
        "IO_CALLSIGN_NOT_SUBSCRIBER",
        "The SMS came from a guest, who cannot be reached",
      );
    }
    return { sms, sender };
  }

  async replyToSms(r: Requester, smsId: string, text: string): Promise<SmsView> {
    if (r.isGuest) throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guests have no inbox");
    const { sms } = await this.smsSender(r, smsId);
    const reply = await this.writer.write(async (tx) => {
      const row = await new SmsRepo(tx).insert({
        smsId: randomBytes(12).toString("base64url"),
        fromId: r.userId,
        toId: sms.fromId,
        topic: sms.topic,
        text,
        callId: null,
        replyTo: sms.smsId,
      });
      await new SmsRepo(tx).markRead(r.userId, [sms.smsId]);
      await refreshInboxCounts(tx, sms.fromId);
      await refreshInboxCounts(tx, r.userId);
      return smsView(row, new Parties(tx.manager));
    });
    await this.jobs.add<NotifyEmailJob>(
      CallJobs.NotifyEmail,
      { kind: "sms", id: reply.sms_id },
      {
        jobId: `sms-${reply.sms_id}`,
      },
    );
    return reply;
  }

  async callBackSms(r: Requester, smsId: string, topic: string | undefined, ip: string): Promise<CallView> {
    const { sms, sender } = await this.smsSender(r, smsId);
    const call = await this.calls.place(
      r,
      { handle: sender.number!, topic: topic ?? sms.topic ?? undefined },
      ip,
      {
        kind: "sms",
        id: sms.smsId,
      },
    );
    await this.markRead(r, { sms: [sms.smsId] });
    return call;
  }

  async callBackCall(r: Requester, callId: string, topic: string | undefined, ip: string): Promise<CallView> {
    const call = await this.writer.read((sql) => new CallsRepo(sql).get(callId));
    if (!call || call.calleeId !== r.userId) throw new ProtocolError("M_NOT_FOUND", "No such call");
    if (call.state !== CallState.Missed) {
      throw new ProtocolError("IO_CALLSIGN_BAD_TRANSITION", "Only a missed call is called back", {
        state: call.state,
      });
    }
    const caller = await new AccountsRepo(this.writer.manager).byUserId(call.callerId);
    if (!caller || caller.kind !== "user") {
      throw new ProtocolError(
        "IO_CALLSIGN_NOT_SUBSCRIBER",
        "The caller was a guest, who cannot be called back",
      );
    }
    const back = await this.calls.place(
      r,
      { handle: caller.number!, topic: topic ?? call.topic ?? undefined },
      ip,
      {
        kind: "call",
        id: call.callId,
      },
    );
    await this.markRead(r, { calls: [call.callId] });
    return back;
  }

  options(r: Requester): Promise<InboxOptions> {
    return this.writer.read((sql) => new InboxOptionsRepo(sql).get(r.userId));
  }

  async setOptions(r: Requester, patch: Partial<InboxOptions>): Promise<InboxOptions> {
    if (r.isGuest) throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guests take no calls");
    return this.writer.write(async (tx) => {
      const repo = new InboxOptionsRepo(tx);
      const next = { ...(await repo.get(r.userId)), ...patch };
      await repo.put(r.userId, next);
      return next;
    });
  }
}
