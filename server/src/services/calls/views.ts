/** Rows → the wire views of protocol/callsign/calls.ts. */
import { ServiceRoutingRepo } from "../../storage/repositories/service-routing.js";
import type { CallView, HopView, PartyView, SmsView } from "../../../../protocol/callsign/calls.js";
import type { EntityManager } from "typeorm";
import type { AccountRow } from "../../storage/entities/index.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import type { CallRow, SmsRow } from "../../storage/repositories/calls.js";
import { ServicesRepo } from "../../storage/repositories/services.js";

export function partyView(a: AccountRow): PartyView {
  return {
    user_id: a.userId,
    display_name: a.displayName,
    ...(a.number !== null && { number: a.number }),
    is_guest: a.kind === "guest",
    is_service: a.kind === "service",
    ...(a.provider !== null && { provider: a.provider }),
    ...(a.remoteHandle !== null && { handle: a.remoteHandle }),
  };
}

/** Loads accounts once per user ID for a batch of views. */
export class Parties {
  private readonly cache = new Map<string, Promise<PartyView>>();
  private readonly services = new Map<string, Promise<string | null>>();
  constructor(private readonly manager: EntityManager) {}

  get(userId: string): Promise<PartyView> {
    let p = this.cache.get(userId);
    if (!p) {
      p = new AccountsRepo(this.manager)
        .byUserId(userId)
        .then((a) =>
          a ? partyView(a) : { user_id: userId, display_name: null, is_guest: false, is_service: false },
        );
      this.cache.set(userId, p);
    }
    return p;
  }

  /** The service whose account `accountId` is, or null for a person. */
  async serviceId(accountId: string): Promise<string | null> {
    let p = this.services.get(accountId);
    if (!p) {
      p = new ServicesRepo(this.manager).byAccount(accountId).then((s) => s?.serviceId ?? null);
      this.services.set(accountId, p);
    }
    return p;
  }

  /** The call's transfers (read only when it has any). */
  async hops(c: CallRow): Promise<HopView[]> {
    if (c.hops === 0) return [];
    const rows = await new ServiceRoutingRepo(this.manager).hops(c.callId);
    return Promise.all(
      rows.map(async (h) => ({
        from: await this.get(h.fromId),
        to: await this.get(h.toId),
        by: await this.get(h.byId),
        note: h.note,
        at: h.at.getTime(),
      })),
    );
  }
}

const ms = (d: Date | null) => (d ? d.getTime() : null);

export async function callView(c: CallRow, parties: Parties): Promise<CallView> {
  return {
    call_id: c.callId,
    room_id: c.roomId,
    state: c.state,
    caller: await parties.get(c.callerId),
    callee: await parties.get(c.calleeId),
    operator: c.operatorId ? await parties.get(c.operatorId) : null,
    service_id: await parties.serviceId(c.calleeId),
    target: c.target,
    topic: c.topic,
    tag: c.tag,
    position: c.position,
    video: c.video,
    reply: c.reply,
    reason: c.reason,
    sms_id: c.smsId,
    callback_of: c.callbackKind && c.callbackId ? { kind: c.callbackKind, id: c.callbackId } : null,
    hops: await parties.hops(c),
    pbx: c.pbx,
    from_pbx: c.fromPbx,
    limit_s: c.limitS,
    created_at: c.createdAt.getTime(),
    answered_at: ms(c.answeredAt),
    ended_at: ms(c.endedAt),
  };
}

export async function smsView(s: SmsRow, parties: Parties): Promise<SmsView> {
  return {
    sms_id: s.smsId,
    from: await parties.get(s.fromId),
    to: await parties.get(s.toId),
    topic: s.topic,
    text: s.text,
    call_id: s.callId,
    reply_to: s.replyTo,
    call_back: s.callBack,
    created_at: s.createdAt.getTime(),
    read: s.readAt !== null,
  };
}
