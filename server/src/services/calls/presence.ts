/**
 * Presence: a subscriber is online while a client of theirs syncs (each `/sync` marks them
 * active) or holds explicit presence, and for a grace period after the last long-poll. Writes
 * are throttled per process so a busy client does not write on every sync.
 */
import type { Sql } from "../../storage/database.js";
import { PresenceRepo } from "../../storage/repositories/subscribers.js";

const TOUCH_EVERY_MS = 10_000;

export type PresenceState = "online" | "offline" | "unavailable";

export class PresenceService {
  private readonly lastTouch = new Map<string, { at: number; state: PresenceState }>();

  constructor(
    private readonly sql: Sql,
    /** How long after the last activity a user still counts as online. */
    private readonly onlineWindowMs: number,
  ) {}

  /** Marks the user active in `state`; `force` skips the write throttle (explicit changes). */
  async touch(
    userId: string,
    state: PresenceState = "online",
    now = Date.now(),
    force = false,
  ): Promise<void> {
    const last = this.lastTouch.get(userId);
    // Throttled well inside the online window, so a syncing client never looks offline.
    const every = Math.min(TOUCH_EVERY_MS, this.onlineWindowMs / 3);
    if (!force && last && last.state === state && now - last.at < every) return;
    this.lastTouch.set(userId, { at: now, state });
    if (this.lastTouch.size > 100_000) this.lastTouch.clear();
    await new PresenceRepo(this.sql).touch(userId, state);
  }

  async get(userId: string): Promise<{ presence: PresenceState; lastActiveAgo?: number; online: boolean }> {
    const row = await new PresenceRepo(this.sql).get(userId);
    if (!row) return { presence: "offline", online: false };
    const ago = Math.max(0, Date.now() - row.lastActiveAt.getTime());
    const online = row.state !== "offline" && ago <= this.onlineWindowMs;
    return { presence: online ? (row.state as PresenceState) : "offline", lastActiveAgo: ago, online };
  }

  /** Activity at or after this moment still counts as online. */
  activeSince(now = Date.now()): Date {
    return new Date(now - this.onlineWindowMs);
  }

  async isOnline(userId: string): Promise<boolean> {
    return (await this.get(userId)).online;
  }
}
