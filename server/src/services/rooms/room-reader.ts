/**
 * Reading rooms: state, members, single events and `/messages` pagination, each limited to
 * what the reader may see. History visibility is "shared": a member sees the whole history
 * while joined, and everything up to the moment they left afterwards.
 */
import { ProtocolError } from "../../../../protocol/errors.js";
import { EventType, Membership, type ClientEvent } from "../../../../protocol/matrix/event-types.js";
import { parseStreamToken, streamToken } from "../../../../protocol/matrix/tokens.js";
import type { Sql } from "../../storage/database.js";
import { EventsRepo } from "../../storage/repositories/events.js";
import { currentPosition } from "../../storage/stream-positions.js";
import type { Requester } from "../accounts.js";
import { toClientEvent } from "./format.js";

export interface MessagesPage {
  chunk: ClientEvent[];
  start: string;
  end?: string;
  state?: ClientEvent[];
}

export class RoomReader {
  constructor(private readonly sql: Sql) {}

  /** The last position `r` may see in the room, or a 403 when they never joined it. */
  private async horizon(r: Requester, roomId: string): Promise<number> {
    const repo = new EventsRepo(this.sql);
    const member = await repo.stateEvent(roomId, EventType.RoomMember, r.userId);
    if (!member) {
      if (!(await repo.roomExists(roomId)))
        throw new ProtocolError("M_FORBIDDEN", "Unknown room or not a member");
      throw new ProtocolError("M_FORBIDDEN", "You are not a member of this room");
    }
    const m = member.content.membership;
    if (m === Membership.Join) return currentPosition(this.sql);
    if (await repo.isForgotten(roomId, r.userId))
      throw new ProtocolError("M_FORBIDDEN", "You have forgotten this room");
    if (
      (m === Membership.Leave || m === Membership.Ban) &&
      member.prevContent?.membership === Membership.Join
    ) {
      return member.pos;
    }
    throw new ProtocolError("M_FORBIDDEN", "You are not a member of this room");
  }

  async state(r: Requester, roomId: string): Promise<ClientEvent[]> {
    const upTo = await this.horizon(r, roomId);
    const repo = new EventsRepo(this.sql);
    const rows = await repo.stateBetween(roomId, 0, upTo + 1);
    return rows.map((e) => toClientEvent(e, r));
  }

  async stateEvent(
    r: Requester,
    roomId: string,
    type: string,
    stateKey: string,
  ): Promise<Record<string, unknown>> {
    const upTo = await this.horizon(r, roomId);
    const rows = await new EventsRepo(this.sql).stateBetween(roomId, 0, upTo + 1);
    const found = rows.find((e) => e.type === type && e.stateKey === stateKey);
    if (!found)
      throw new ProtocolError("M_NOT_FOUND", `No ${type} state with key ${JSON.stringify(stateKey)}`);
    return found.content;
  }

  async members(
    r: Requester,
    roomId: string,
    membership?: string,
    notMembership?: string,
  ): Promise<ClientEvent[]> {
    const events = await this.state(r, roomId);
    return events.filter((e) => {
      if (e.type !== EventType.RoomMember) return false;
      const m = e.content.membership;
      return (!membership || m === membership) && (!notMembership || m !== notMembership);
    });
  }

  async joinedMembers(r: Requester, roomId: string) {
    const members = await this.members(r, roomId, Membership.Join);
    return Object.fromEntries(
      members.map((e) => [
        e.state_key!,
        { display_name: e.content.displayname ?? null, avatar_url: e.content.avatar_url ?? null },
      ]),
    );
  }

  async event(r: Requester, roomId: string, eventId: string): Promise<ClientEvent> {
    const upTo = await this.horizon(r, roomId);
    const e = await new EventsRepo(this.sql).byId(eventId);
    if (!e || e.roomId !== roomId || e.pos > upTo) throw new ProtocolError("M_NOT_FOUND", "Event not found");
    return toClientEvent(e, r);
  }

  async messages(
    r: Requester,
    roomId: string,
    q: { from?: string; to?: string; dir: "b" | "f"; limit?: number; types?: string[]; notTypes?: string[] },
  ): Promise<MessagesPage> {
    const horizon = await this.horizon(r, roomId);
    const limit = Math.min(q.limit ?? 10, 1000);
    const from = q.from ? Math.min(parseStreamToken(q.from, "from"), horizon) : q.dir === "b" ? horizon : 0;
    const to = q.to !== undefined ? parseStreamToken(q.to, "to") : undefined;
    const repo = new EventsRepo(this.sql);
    const types = { include: q.types, exclude: q.notTypes };
    if (q.dir === "b") {
      const rows = await repo.slice(roomId, to ?? 0, from, limit, true, types);
      const chunk = rows.reverse().map((e) => toClientEvent(e, r));
      const oldest = rows[rows.length - 1];
      return {
        chunk,
        start: streamToken(from),
        ...(rows.length === limit && oldest && { end: streamToken(oldest.pos - 1) }),
      };
    }
    const upTo = Math.min(to ?? horizon, horizon);
    const rows = await repo.slice(roomId, from, upTo, limit, false, types);
    const newest = rows[rows.length - 1];
    return {
      chunk: rows.map((e) => toClientEvent(e, r)),
      start: streamToken(from),
      ...(rows.length === limit && newest && { end: streamToken(newest.pos) }),
    };
  }

  /**
   * Forgets a room the user has left: it leaves their syncs and its history closes to them.
   * Forgetting twice, or a room one was never in, is not an error (Matrix semantics).
   */
  async forget(r: Requester, roomId: string): Promise<void> {
    const repo = new EventsRepo(this.sql);
    const member = await repo.stateEvent(roomId, EventType.RoomMember, r.userId);
    const m = member?.content.membership;
    if (m === Membership.Join || m === Membership.Invite) {
      throw new ProtocolError("M_UNKNOWN", "Leave the room before forgetting it");
    }
    if (member) await repo.forget(roomId, r.userId);
  }

  async joinedRooms(r: Requester): Promise<string[]> {
    const ms = await new EventsRepo(this.sql).membershipsOf(r.userId);
    return ms.filter((m) => m.membership === Membership.Join).map((m) => m.roomId);
  }
}
