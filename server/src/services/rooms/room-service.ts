/**
 * Rooms: creation, sending events and membership changes. Every event is appended through
 * `append`, which takes the stream position first (serialising writers), then checks the
 * authorization rules against the room's current state, so two concurrent changes are judged
 * one after the other.
 */
import { randomBytes } from "node:crypto";
import { ProtocolError } from "../../../../protocol/errors.js";
import { serverOf } from "../../../../protocol/ids.js";
import { EventType, Membership, RoomVersions } from "../../../../protocol/matrix/event-types.js";
import type { CreateRoomRequest } from "../../../../protocol/matrix/requests.js";
import type { AccountRow } from "../../storage/entities/index.js";
import { AccountsRepo } from "../../storage/repositories/accounts.js";
import { insertEvents } from "../../storage/repositories/event-batches.js";
import { EventsRepo, type EventRow } from "../../storage/repositories/events.js";
import type { Requester } from "../accounts.js";
import type { StreamWriter, WriteTx } from "../stream-writer.js";
import { authorize, powerLevels, type RoomView } from "./auth-rules.js";
import { JOINED_OR_INVITED, membersIn, stateKeyOf, type RoomState } from "./state-cache.js";

export interface NewEvent {
  roomId: string;
  type: string;
  stateKey: string | null;
  content: Record<string, unknown>;
  txnId?: string;
}

const randomId = (bytes = 18) => randomBytes(bytes).toString("base64url");

/**
 * How rooms reach other providers (federation/src/rooms): a message to a room another provider
 * hosts is sent there; every event of a room hosted here is relayed to the providers of its
 * members, inside the transaction that appends it.
 */
export interface RoomFederation {
  forward(r: Requester, e: NewEvent & { txnId: string }): Promise<string>;
  relay(tx: WriteTx, e: EventRow, members: string[]): Promise<void>;
}

export class RoomService {
  private federation: RoomFederation | undefined;

  constructor(
    private readonly writer: StreamWriter,
    private readonly serverName: string,
  ) {}

  useFederation(federation: RoomFederation): void {
    this.federation = federation;
  }

  /** Whether another provider hosts the room (its ID names that provider). */
  isRemote(roomId: string): boolean {
    return serverOf(roomId) !== this.serverName;
  }

  /** What the authorization rules read of a room's current state. */
  private view(state: RoomState): RoomView {
    const create = state.get(stateKeyOf(EventType.RoomCreate, ""));
    const pl = state.get(stateKeyOf(EventType.RoomPowerLevels, ""));
    const joinRules = state.get(stateKeyOf(EventType.RoomJoinRules, ""));
    const guest = state.get(stateKeyOf(EventType.RoomGuestAccess, ""));
    if (!create) throw new ProtocolError("M_NOT_FOUND", "Unknown room");
    const members = new Map<string, string>();
    for (const e of state.values()) {
      if (e.type === EventType.RoomMember) members.set(e.stateKey!, String(e.content.membership));
    }
    return {
      creator: create.sender,
      roomType: typeof create.content.type === "string" ? create.content.type : undefined,
      pl: powerLevels(pl?.content, create.sender),
      joinRule: String(joinRules?.content.join_rule ?? "invite"),
      guestAccess: guest?.content.guest_access === "can_join",
      membershipOf: (u) => members.get(u),
    };
  }

  /**
   * Appends one event inside the caller's transaction, after checking it against the room's
   * authorization rules unless `check` is false (the server's own writes: call state, which the
   * call state machine has already judged). Returns the stored row.
   */
  async appendIn(tx: WriteTx, sender: Requester, e: NewEvent, check = true): Promise<EventRow> {
    const row = await this.prepare(tx, sender, e, check);
    await new EventsRepo(tx).insert(row);
    tx.roomState.applied(row);
    await this.announce(
      tx,
      row,
      membersIn(await tx.roomState.of(new EventsRepo(tx), e.roomId), JOINED_OR_INVITED),
    );
    return row;
  }

  /** The row an event appended in `tx` is stored as: its position, previous content, judged unless `check` is false. */
  private async prepare(tx: WriteTx, sender: Requester, e: NewEvent, check: boolean): Promise<EventRow> {
    // A message (which changes no state) is judged against the state as read; a state change
    // locks the room first and is judged against the state no other writer can change meanwhile.
    const repo = new EventsRepo(tx);
    const state = await (e.stateKey !== null
      ? tx.roomState.locked(repo, e.roomId)
      : tx.roomState.of(repo, e.roomId));
    if (check) authorize(this.view(state), { sender: sender.userId, ...e }, sender.isGuest);
    const pos = await tx.nextPosition();
    const prev = e.stateKey !== null ? state.get(stateKeyOf(e.type, e.stateKey)) : undefined;
    const row: EventRow = {
      pos,
      eventId: `$${randomId()}`,
      roomId: e.roomId,
      type: e.type,
      stateKey: e.stateKey,
      sender: sender.userId,
      content: e.content,
      prevContent: prev?.content ?? null,
      ts: Date.now(),
      txnDeviceId: e.txnId ? sender.deviceId : null,
      txnId: e.txnId ?? null,
    };
    return row;
  }

  /** A stored event reaches its room's members (`members`, as of the event) here and elsewhere. */
  private async announce(tx: WriteTx, row: EventRow, members: string[]): Promise<void> {
    tx.notify(...members);
    if (row.type === EventType.RoomMember && row.stateKey) tx.notify(row.stateKey);
    await this.federation?.relay(tx, row, members);
  }

  async memberContent(tx: WriteTx, userId: string, membership: string, extra: Record<string, unknown> = {}) {
    const account = await new AccountsRepo(tx.manager).byUserId(userId);
    if (!account) throw new ProtocolError("M_NOT_FOUND", `Unknown user ${userId}`);
    return memberContentOf(account, membership, extra);
  }

  async createRoom(r: Requester, req: CreateRoomRequest): Promise<string> {
    if (r.isGuest) throw new ProtocolError("M_GUEST_ACCESS_FORBIDDEN", "Guests may not create rooms");
    const version = req.room_version ?? RoomVersions.default;
    if (!(RoomVersions.available as readonly string[]).includes(version)) {
      throw new ProtocolError("M_UNSUPPORTED_ROOM_VERSION", `Room version ${version} is not supported`);
    }
    if (req.initial_state?.some((s) => s.type === EventType.RoomEncryption)) {
      throw new ProtocolError(
        "M_FORBIDDEN",
        "Callsign rooms are never encrypted (the server anchors call media)",
      );
    }
    return this.writer.write((tx) => this.createRoomIn(tx, r, { ...req, room_version: version }));
  }

  /**
   * Creates a room inside the caller's transaction (the create request already checked). Call
   * rooms use it to create the room and its first call state in one commit. `creator` may be a
   * guest here: the server creates call rooms on a guest caller's behalf.
   */
  async createRoomIn(tx: WriteTx, r: Requester, req: CreateRoomRequest): Promise<string> {
    const version = req.room_version ?? RoomVersions.default;
    const preset = req.preset ?? (req.visibility === "public" ? "public_chat" : "private_chat");
    const invitees = [...new Set(req.invite ?? [])].filter((u) => u !== r.userId);
    const roomId = `!${randomId(12)}:${this.serverName}`;
    const repo = new EventsRepo(tx);
    const accounts = new Map(
      (await new AccountsRepo(tx.manager).byUserIds([r.userId, ...invitees])).map((a) => [a.userId, a]),
    );
    const accountOf = (u: string) => {
      const account = accounts.get(u);
      if (!account) throw new ProtocolError("M_NOT_FOUND", `Unknown user ${u}`);
      return account;
    };
    invitees.forEach(accountOf);
    await repo.insertRoom(roomId, r.userId, version);
    tx.roomState.created(roomId);
    // Nobody else writes a room being created: its events are made here and stored together.
    const made: { row: EventRow; members: string[] }[] = [];
    const add = async (type: string, content: Record<string, unknown>, stateKey: string | null = "") => {
      const row = await this.prepare(tx, r, { roomId, type, stateKey, content }, false);
      tx.roomState.applied(row);
      made.push({ row, members: membersIn(await tx.roomState.of(repo, roomId), JOINED_OR_INVITED) });
    };

    await add(EventType.RoomCreate, { ...req.creation_content, creator: r.userId, room_version: version });
    await add(EventType.RoomMember, memberContentOf(accountOf(r.userId), Membership.Join), r.userId);
    const users: Record<string, number> = { [r.userId]: 100 };
    if (preset === "trusted_private_chat") for (const u of invitees) users[u] = 100;
    await add(EventType.RoomPowerLevels, {
      users,
      users_default: 0,
      events: {
        [EventType.RoomName]: 50,
        [EventType.RoomPowerLevels]: 100,
        [EventType.RoomHistoryVisibility]: 100,
      },
      events_default: 0,
      state_default: 50,
      ban: 50,
      kick: 50,
      redact: 50,
      invite: 0,
      ...req.power_level_content_override,
    });
    await add(EventType.RoomJoinRules, { join_rule: preset === "public_chat" ? "public" : "invite" });
    await add(EventType.RoomHistoryVisibility, { history_visibility: "shared" });
    if (preset !== "public_chat") await add(EventType.RoomGuestAccess, { guest_access: "can_join" });
    for (const s of req.initial_state ?? []) await add(s.type, s.content, s.state_key);
    if (req.name !== undefined) await add(EventType.RoomName, { name: req.name });
    if (req.topic !== undefined) await add(EventType.RoomTopic, { topic: req.topic });
    for (const u of invitees) {
      const content = memberContentOf(
        accountOf(u),
        Membership.Invite,
        req.is_direct ? { is_direct: true } : {},
      );
      await add(EventType.RoomMember, content, u);
    }
    await insertEvents(
      tx,
      made.map((m) => m.row),
    );
    for (const { row, members } of made) await this.announce(tx, row, members);
    return roomId;
  }

  /** Sends a message or state event; the same (device, txnId) returns the first event's ID. */
  async send(r: Requester, e: NewEvent): Promise<string> {
    if (e.type === EventType.RoomMember) return this.setMembership(r, e.roomId, e.stateKey ?? "", e.content);
    if (this.isRemote(e.roomId)) {
      // The host orders its rooms' events: only messages are sent there from here.
      if (!this.federation || e.stateKey !== null || !e.txnId) {
        throw new ProtocolError(
          "M_FORBIDDEN",
          `This room is hosted by ${serverOf(e.roomId)}: only messages can be sent to it`,
        );
      }
      return this.federation.forward(r, { ...e, txnId: e.txnId });
    }
    try {
      return await this.writer.write(async (tx) => (await this.appendIn(tx, r, e)).eventId);
    } catch (err) {
      // A repeated transaction ID (a client's retry, or a concurrent one that won) meets the
      // unique index: the answer is the first event. Retries are rare; every send saves a query.
      if ((err as { code?: string }).code === "23505" && e.txnId) {
        const seen = await this.writer.read((sql) =>
          new EventsRepo(sql).byTxn(r.userId, r.deviceId, e.roomId, e.type, e.txnId!),
        );
        if (seen) return seen.eventId;
      }
      throw err;
    }
  }

  /** Changes `target`'s membership (join, invite, leave/kick, ban) or updates one's own member event. */
  async setMembership(
    r: Requester,
    roomId: string,
    target: string,
    content: Record<string, unknown>,
  ): Promise<string> {
    const membership = String(content.membership ?? "");
    if (this.isRemote(roomId)) {
      throw new ProtocolError(
        "M_FORBIDDEN",
        `This room is hosted by ${serverOf(roomId)}: its calls decide who is in it`,
      );
    }
    return this.writer.write(async (tx) => {
      if (!(await new EventsRepo(tx).roomExists(roomId)))
        throw new ProtocolError("M_NOT_FOUND", "Unknown room");
      const base =
        membership === Membership.Join || membership === Membership.Invite
          ? await this.memberContent(tx, target, membership)
          : { membership };
      const row = await this.appendIn(tx, r, {
        roomId,
        type: EventType.RoomMember,
        stateKey: target,
        content: { ...base, ...content, membership },
      });
      return row.eventId;
    });
  }

  /** Updates the member events of every joined room after a profile change. */
  async broadcastProfile(r: Requester, roomIds: string[]): Promise<void> {
    for (const roomId of roomIds.filter((id) => !this.isRemote(id)))
      await this.setMembership(r, roomId, r.userId, { membership: Membership.Join });
  }
}

/** A member event's content: the membership with the account's name and avatar. */
function memberContentOf(
  account: Pick<AccountRow, "displayName" | "avatarUrl">,
  membership: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    membership,
    ...(account.displayName !== null && { displayname: account.displayName }),
    ...(account.avatarUrl !== null && { avatar_url: account.avatarUrl }),
    ...extra,
  };
}
