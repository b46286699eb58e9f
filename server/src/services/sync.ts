/**
 * `/sync`: everything new for one device since its token, or everything it needs to start.
 *
 * Tokens are positions in the one stream (see the initial migration). A sync reads the stream
 * head first and then only items at or below it, so an item is in exactly one response. An
 * empty incremental sync waits on the notifier (subscribed before the first read, so a write
 * that lands between the read and the wait still wakes it) up to the client's time-out.
 */
import { CALL_STATE_EVENT } from "../../../protocol/callsign/calls.js";
import {
  EventType,
  Membership,
  NotifyingEventTypes,
  StrippedStateTypes,
} from "../../../protocol/matrix/event-types.js";
import type { FilterDefinition } from "../../../protocol/matrix/requests.js";
import type {
  BasicEvent,
  JoinedRoomSync,
  LeftRoomSync,
  SyncResponse,
} from "../../../protocol/matrix/sync.js";
import { streamToken } from "../../../protocol/matrix/tokens.js";
import type { Sql } from "../storage/database.js";
import { EventsRepo, type EventRow } from "../storage/repositories/events.js";
import { currentPosition } from "../storage/stream-positions.js";
import {
  AccountDataRepo,
  ReceiptsRepo,
  ToDeviceRepo,
  TypingRepo,
  type ReceiptRow,
} from "../storage/repositories/user-streams.js";
import type { Requester } from "./accounts.js";
import type { Notifier } from "./notifier.js";
import { toClientEvent, toStripped } from "./rooms/format.js";

const DEFAULT_TIMELINE_LIMIT = 10;

export interface SyncRequest {
  since: number | undefined;
  timeoutMs: number;
  filter: FilterDefinition;
  fullState: boolean;
}

export class SyncService {
  constructor(
    private readonly sql: Sql,
    private readonly notifier: Notifier,
    private readonly maxTimeoutMs: number,
  ) {}

  async sync(r: Requester, req: SyncRequest): Promise<SyncResponse> {
    const timeout = Math.min(req.timeoutMs, this.maxTimeoutMs);
    if (req.since === undefined || timeout === 0) return this.compute(r, req);
    const sub = this.notifier.subscribe(r.userId, timeout);
    try {
      let first: SyncResponse | undefined = await this.compute(r, req);
      if (!isEmpty(first)) return first;
      // Only the position is held through the wait (the interpreter keeps a suspended frame's
      // variables, and an empty answer is ~0.6 KB per connected client); at shutdown the
      // woken long-poll answers nothing new from there instead of reading again.
      const position = first.next_batch;
      first = undefined;
      await sub.woken;
      return this.notifier.closed ? emptySync(position) : await this.compute(r, req);
    } finally {
      sub.cancel();
    }
  }

  private async compute(r: Requester, req: SyncRequest): Promise<SyncResponse> {
    const head = await currentPosition(this.sql, this.notifier.latest);
    const since = req.since === undefined ? undefined : Math.min(req.since, head);
    const after = req.fullState ? 0 : (since ?? 0);
    const events = new EventsRepo(this.sql);
    const roomFilter = req.filter.room ?? {};
    const limit = roomFilter.timeline?.limit ?? DEFAULT_TIMELINE_LIMIT;
    const types = { include: roomFilter.timeline?.types, exclude: roomFilter.timeline?.not_types };
    const wanted = (roomId: string) =>
      (!roomFilter.rooms || roomFilter.rooms.includes(roomId)) && !roomFilter.not_rooms?.includes(roomId);

    const res = emptySync(streamToken(head));
    // Every kind of item takes a stream position: at the head, there is nothing new to read
    // (a long-poll's first look, most of the time) but the acknowledged to-device messages to
    // delete.
    if (since !== undefined && since >= head && !req.fullState) {
      await new ToDeviceRepo(this.sql).takeFor(r.userId, r.deviceId, since, head);
      return res;
    }

    const memberships = (await events.membershipsOf(r.userId, req.fullState ? 0 : (since ?? 0))).filter(
      (m) => wanted(m.roomId) && m.pos <= head,
    );
    const joined = memberships.filter((m) => m.membership === Membership.Join).map((m) => m.roomId);
    const changed = since === undefined ? new Set(joined) : await events.roomsChanged(joined, since, head);

    const accountData = await new AccountDataRepo(this.sql).changed(r.userId, since ?? 0, head);
    const roomAccountData = new Map<string, BasicEvent[]>();
    for (const a of accountData) {
      const ev = { type: a.type, content: a.content };
      if (a.roomId === "") res.account_data.events.push(ev);
      else roomAccountData.set(a.roomId, [...(roomAccountData.get(a.roomId) ?? []), ev]);
    }
    const ephemeralByRoom = groupReceipts(
      await new ReceiptsRepo(this.sql).changed(joined, r.userId, since ?? 0, head),
    );
    for (const [roomId, userIds] of await new TypingRepo(this.sql).changed(joined, since ?? 0, head)) {
      if (since === undefined && userIds.length === 0) continue;
      const typing = { type: EventType.Typing, content: { user_ids: userIds } };
      ephemeralByRoom.set(roomId, [...(ephemeralByRoom.get(roomId) ?? []), typing]);
    }

    // New invites' rooms' state, read together (an operator is invited to every call that rings).
    const isFresh = (m: { pos: number }) => since === undefined || m.pos > since || req.fullState;
    const newInvites = memberships.filter((m) => m.membership === Membership.Invite && isFresh(m));
    const inviteStates = await events.currentStates(newInvites.map((m) => m.roomId));

    for (const m of memberships) {
      const fresh = isFresh(m);
      if (m.membership === Membership.Join) {
        const ephemeral = ephemeralByRoom.get(m.roomId) ?? [];
        const roomData = roomAccountData.get(m.roomId) ?? [];
        if (!fresh && !changed.has(m.roomId) && ephemeral.length === 0 && roomData.length === 0) continue;
        const from = fresh ? 0 : after;
        const slice = await this.timeline(events, m.roomId, from, head, limit, types);
        // A timeline holding everything since the token leaves no state change before it.
        const whole = !fresh && !slice.timeline.limited && !types.include && !types.exclude;
        const state = whole ? [] : await events.stateBetween(m.roomId, from, slice.firstPos);
        const membersMoved = [...state, ...slice.rows].some((e) => e.type === EventType.RoomMember);
        const room: JoinedRoomSync = {
          timeline: slice.timeline,
          state: { events: state.map((e) => toClientEvent(e, r)) },
          ephemeral: { events: ephemeral },
          account_data: { events: roomData },
          unread_notifications: await this.unread(events, m.roomId, r.userId),
        };
        // The summary is sent when it may have changed (clients keep the last one).
        if (fresh || membersMoved) room.summary = await this.summary(events, m.roomId, r.userId);
        room.timeline.events = slice.rows.map((e) => toClientEvent(e, r));
        res.rooms.join[m.roomId] = room;
      } else if (m.membership === Membership.Invite && fresh) {
        // The stripped state, the inviter's member event (their name) and the invite itself.
        const current = inviteStates.get(m.roomId) ?? [];
        const invite = current.find((e) => e.type === EventType.RoomMember && e.stateKey === r.userId);
        const state = current.filter(
          (e) =>
            StrippedStateTypes.includes(e.type) ||
            e.type === CALL_STATE_EVENT ||
            (e.type === EventType.RoomMember && (e.stateKey === r.userId || e.stateKey === invite?.sender)),
        );
        res.rooms.invite[m.roomId] = { invite_state: { events: state.map(toStripped) } };
      } else if (
        (m.membership === Membership.Leave || m.membership === Membership.Ban) &&
        since !== undefined &&
        fresh
      ) {
        res.rooms.leave[m.roomId] = await this.left(events, r, m.roomId, m.eventId, since, limit);
      } else if (m.membership === Membership.Leave && since === undefined && roomFilter.include_leave) {
        res.rooms.leave[m.roomId] = await this.left(events, r, m.roomId, m.eventId, 0, limit);
      }
    }

    const toDevice = await new ToDeviceRepo(this.sql).takeFor(r.userId, r.deviceId, since ?? 0, head);
    res.to_device.events = toDevice.map((t) => ({ sender: t.sender, type: t.type, content: t.content }));
    return res;
  }

  private async timeline(
    events: EventsRepo,
    roomId: string,
    after: number,
    head: number,
    limit: number,
    types: { include?: string[]; exclude?: string[] },
  ) {
    const rows = await events.slice(roomId, after, head, limit, true, types);
    const firstPos = rows[0]?.pos ?? head + 1;
    const limited =
      rows.length === limit && (await events.slice(roomId, after, firstPos - 1, 1, true)).length > 0;
    return {
      rows,
      firstPos,
      timeline: { events: [], limited, prev_batch: streamToken(firstPos - 1) } as JoinedRoomSync["timeline"],
    };
  }

  private async left(
    events: EventsRepo,
    r: Requester,
    roomId: string,
    leaveEventId: string,
    since: number,
    limit: number,
  ): Promise<LeftRoomSync> {
    const leave = (await events.byId(leaveEventId))!;
    const wasJoined = leave.prevContent?.membership === Membership.Join;
    const rows: EventRow[] = wasJoined ? await events.slice(roomId, since, leave.pos, limit, true) : [leave];
    const firstPos = rows[0]?.pos ?? leave.pos;
    return {
      timeline: {
        events: rows.map((e) => toClientEvent(e, r)),
        limited: wasJoined && rows.length === limit,
        prev_batch: streamToken(firstPos - 1),
      },
      state: {
        events: wasJoined
          ? (await events.stateBetween(roomId, since, firstPos)).map((e) => toClientEvent(e, r))
          : [],
      },
      account_data: { events: [] },
    };
  }

  private async unread(events: EventsRepo, roomId: string, userId: string) {
    const n = await events.countUnread(roomId, userId, NotifyingEventTypes);
    return { notification_count: n, highlight_count: 0 };
  }

  private async summary(
    events: EventsRepo,
    roomId: string,
    userId: string,
  ): Promise<JoinedRoomSync["summary"]> {
    const counts = await events.memberCounts(roomId);
    const heroes = (await events.members(roomId, [Membership.Join, Membership.Invite]))
      .filter((u) => u !== userId)
      .slice(0, 5);
    return {
      "m.heroes": heroes,
      "m.joined_member_count": counts.joined,
      "m.invited_member_count": counts.invited,
    };
  }
}

function groupReceipts(rows: ReceiptRow[]): Map<string, BasicEvent[]> {
  const byRoom = new Map<string, Record<string, Record<string, Record<string, { ts: number }>>>>();
  for (const r of rows) {
    const content = byRoom.get(r.roomId) ?? {};
    ((content[r.eventId] ??= {})[r.type] ??= {})[r.userId] = { ts: r.ts };
    byRoom.set(r.roomId, content);
  }
  return new Map([...byRoom].map(([roomId, content]) => [roomId, [{ type: EventType.Receipt, content }]]));
}

/** What `compute` answers when nothing is new since `nextBatch`. */
function emptySync(nextBatch: string): SyncResponse {
  return {
    next_batch: nextBatch,
    rooms: { join: {}, invite: {}, leave: {} },
    account_data: { events: [] },
    to_device: { events: [] },
    presence: { events: [] },
    device_lists: { changed: [], left: [] },
    device_one_time_keys_count: {},
  };
}

function isEmpty(s: SyncResponse): boolean {
  return (
    Object.keys(s.rooms.join).length === 0 &&
    Object.keys(s.rooms.invite).length === 0 &&
    Object.keys(s.rooms.leave).length === 0 &&
    s.account_data.events.length === 0 &&
    s.to_device.events.length === 0
  );
}
