/**
 * The subscriber's inbox: SMS received and missed calls, with unread counts, replies to SMS and
 * one-click call-backs. Every change rewrites the `io.callsign.inbox` account data in the same
 * transaction, so the subscriber's clients hear of it through `/sync`.
 *
 * A service has an inbox too (its account's): its operators and its customer's team read it,
 * reply to its SMS (the reply comes from the service) and call back its registered callers
 * (the call comes from the operator, pointing back at the service's SMS or missed call).
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
import { CallsRepo, SmsRepo, type SmsRow } from "../../storage/repositories/calls.js";
import { InboxOptionsRepo } from "../../storage/repositories/subscribers.js";
import type { Requester } from "../accounts.js";
import type { StreamWriter, WriteTx } from "../stream-writer.js";
import type { AccountRow } from "../../storage/entities/index.js";
import type { ServiceDesk } from "../webcam/desk.js";
import type { CallService } from "./call-service.js";
import { refreshInboxCounts } from "./inbox-counts.js";
import { CallJobs, type NotifyEmailJob } from "./job-names.js";
import { callView, Parties, smsView } from "./views.js";

/** How SMS reach parties of other providers (federation/src/messages/sms.ts). */
export interface SmsRelay {
  /** Queues `sms`, just stored here, for `to`'s provider inside the same transaction. */
  send(tx: WriteTx, sms: SmsRow, to: AccountRow): Promise<void>;
}

export class InboxService {
  private relay: SmsRelay | undefined;

  constructor(
    private readonly writer: StreamWriter,
    private readonly calls: CallService,
    private readonly jobs: JobEngine,
    private readonly desk: ServiceDesk,
  ) {}

  useSmsRelay(relay: SmsRelay): void {
    this.relay = relay;
  }

  /** The inbox of `owner`: the requester's own, or a service's (the route checked access). */
  async inbox(owner: string): Promise<InboxView> {
    const parties = new Parties(this.writer.manager);
    return this.writer.read(async (sql) => {
      const sms = await new SmsRepo(sql).to(owner);
      const missed = await new CallsRepo(sql).missedOf(owner);
      return {
        sms: await Promise.all(sms.map((s) => smsView(s, parties))),
        missed: await Promise.all(
          missed.map(async (c) => ({ ...(await callView(c, parties)), read: c.calleeReadAt !== null })),
        ),
        unread: {
          sms: await new SmsRepo(sql).unread(owner),
          missed: await new CallsRepo(sql).unreadMissed(owner),
        },
      };
    });
  }

  async markRead(owner: string, ids: { sms?: string[]; calls?: string[] }): Promise<void> {
    await this.writer.write(async (tx) => {
      const changed =
        (ids.sms?.length ? await new SmsRepo(tx).markRead(owner, ids.sms) : 0) +
        (ids.calls?.length ? await new CallsRepo(tx).markRead(owner, ids.calls) : 0);
      if (changed) await refreshInboxCounts(tx, owner);
    });
  }

  /** Who sent the SMS, checked to be in an inbox `r` handles and a subscriber (guests cannot be answered). */
  private async smsSender(r: Requester, smsId: string) {
    const sms = await this.writer.read((sql) => new SmsRepo(sql).get(smsId));
    const mine = sms && (await this.writer.read((sql) => this.desk.actsFor(sql, r.userId, sms.toId)));
    if (!sms || !mine) throw new ProtocolError("M_NOT_FOUND", "No such SMS");
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
    const { sms, sender } = await this.smsSender(r, smsId);
    if (sender.provider !== null && !this.relay) {
      throw new ProtocolError("IO_CALLSIGN_REMOTE_HANDLE", `${sender.provider} cannot be reached from here`);
    }
    const reply = await this.writer.write(async (tx) => {
      // The reply comes from the inbox the SMS was in: the requester's, or the service's.
      const row = await new SmsRepo(tx).insert({
        smsId: randomBytes(12).toString("base64url"),
        fromId: sms.toId,
        toId: sms.fromId,
        topic: sms.topic,
        text,
        callId: null,
        replyTo: sms.smsId,
        callBack: false,
      });
      // A reply to another provider's party travels there; the copy here is the sender's history.
      if (sender.provider !== null) await this.relay!.send(tx, row, sender);
      await new SmsRepo(tx).markRead(sms.toId, [sms.smsId]);
      await refreshInboxCounts(tx, sms.fromId);
      await refreshInboxCounts(tx, sms.toId);
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
      { handle: dialHandle(sender), topic: topic ?? sms.topic ?? undefined },
      ip,
      {
        kind: "sms",
        id: sms.smsId,
      },
    );
    await this.markRead(sms.toId, { sms: [sms.smsId] });
    return call;
  }

  async callBackCall(r: Requester, callId: string, topic: string | undefined, ip: string): Promise<CallView> {
    const call = await this.writer.read((sql) => new CallsRepo(sql).get(callId));
    const mine = call && (await this.writer.read((sql) => this.desk.actsFor(sql, r.userId, call.calleeId)));
    if (!call || !mine) throw new ProtocolError("M_NOT_FOUND", "No such call");
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
      { handle: dialHandle(caller), topic: topic ?? call.topic ?? undefined },
      ip,
      {
        kind: "call",
        id: call.callId,
      },
    );
    await this.markRead(call.calleeId, { calls: [call.callId] });
    return back;
  }

  /** The inbox options of `owner` (the requester, or a service the route checked). */
  options(owner: string): Promise<InboxOptions> {
    return this.writer.read((sql) => new InboxOptionsRepo(sql).get(owner));
  }

  async setOptions(owner: string, patch: Partial<InboxOptions>): Promise<InboxOptions> {
    return this.writer.write(async (tx) => {
      const repo = new InboxOptionsRepo(tx);
      const next = { ...(await repo.get(owner)), ...patch };
      await repo.put(owner, next);
      return next;
    });
  }
}

/** How a party is called back: its number here, or its handle at its own provider. */
const dialHandle = (a: AccountRow): string => a.remoteHandle ?? a.number!;
