/**
 * The current state of the rooms one write transaction appends to: read once per room (its
 * first append) and kept up to date by the appends that follow, so each further event of that
 * room costs its inserts only — no re-reading of the authorization state, its previous content
 * or its members. A room creation appends a dozen events or more to a room nobody else can
 * write meanwhile. Whatever inserts a room's events otherwise in the transaction drops it here.
 */
import { EventType, Membership } from "../../../../protocol/matrix/event-types.js";
import type { EventRow } from "../../storage/repositories/events.js";
import type { EventsRepo } from "../../storage/repositories/events.js";

export type RoomState = Map<string, EventRow>;

export const stateKeyOf = (type: string, stateKey: string) => `${type}\u0000${stateKey}`;

export class RoomStateCache {
  private readonly rooms = new Map<string, RoomState>();
  private readonly lockedRooms = new Set<string>();

  /**
   * The state of a room this transaction changes the state of: the room is locked first (until
   * the commit) and its state read after, so state changes of one room are judged in turn, each
   * against the state the one before left, and take their positions in that order.
   */
  async locked(repo: EventsRepo, roomId: string): Promise<RoomState> {
    if (!this.lockedRooms.has(roomId)) {
      await repo.lockRoom(roomId);
      this.lockedRooms.add(roomId);
      this.rooms.delete(roomId);
    }
    return this.of(repo, roomId);
  }

  /** A room made in this transaction: nobody else sees it before the commit, its state is empty. */
  created(roomId: string): void {
    this.rooms.set(roomId, new Map());
    this.lockedRooms.add(roomId);
  }

  async of(repo: EventsRepo, roomId: string): Promise<RoomState> {
    let state = this.rooms.get(roomId);
    if (!state) {
      const rows = await repo.currentState(roomId);
      state = new Map(rows.map((e) => [stateKeyOf(e.type, e.stateKey!), e]));
      this.rooms.set(roomId, state);
    }
    return state;
  }

  /** An event of a room read here was stored: the room's state follows it. */
  applied(row: EventRow): void {
    if (row.stateKey !== null) this.rooms.get(row.roomId)?.set(stateKeyOf(row.type, row.stateKey), row);
  }

  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }
}

/** The users whose membership is one of `memberships`, oldest membership first. */
export function membersIn(state: RoomState, memberships: readonly string[]): string[] {
  const found: EventRow[] = [];
  for (const e of state.values()) {
    if (e.type === EventType.RoomMember && memberships.includes(String(e.content.membership))) found.push(e);
  }
  return found.sort((a, b) => a.pos - b.pos).map((e) => e.stateKey!);
}

export const JOINED_OR_INVITED = [Membership.Join, Membership.Invite] as const;
