/**
 * Wake-ups for `/sync` long-polls. A writer publishes "position P concerns users U" after its
 * transaction commits; every homeserver process wakes the long-polls it holds for those users.
 * Across processes this goes through Redis pub/sub (one channel per deployment prefix), so a
 * message sent through one process wakes a client held by another within milliseconds; in
 * embedded mode there is one process and the wake-up stays local.
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";

/** A held wait: `woken` settles true at a wake-up for its user, false at its time-out or cancel. */
export interface Subscription {
  readonly woken: Promise<boolean>;
  cancel(): void;
}

/**
 * One held long-poll's wait. Every connected client holds one nearly all the time, so it is a
 * plain object with no closures of its own; a user's waiters are a list threaded through them
 * (no Set per user).
 */
class Waiter implements Subscription {
  readonly woken: Promise<boolean>;
  private settle!: (woken: boolean) => void;
  private readonly timer: NodeJS.Timeout;
  prev: Waiter | undefined = undefined;
  next: Waiter | undefined = undefined;
  done = false;

  constructor(
    private readonly owner: Notifier,
    readonly userId: string,
    timeoutMs: number,
  ) {
    this.woken = new Promise<boolean>((resolve) => (this.settle = resolve));
    this.timer = setTimeout(expire, timeoutMs, this);
  }

  cancel(): void {
    this.finish(false);
  }

  finish(woken: boolean): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.owner.remove(this);
    this.settle(woken);
  }
}

function expire(w: Waiter): void {
  w.finish(false);
}

export class Notifier {
  /** The first of each user's waiters (the rest follow through `next`). */
  private readonly waiters = new Map<string, Waiter>();
  private count = 0;
  private pub: Redis | undefined;
  private sub: Redis | undefined;
  private readonly channel: string;
  /** Set by `close()`: woken long-polls answer with what they have instead of reading again. */
  closed = false;
  /**
   * The newest stream position announced here or by another process: committed, so a reader
   * waits for the positions below it to settle (storage/stream-positions.ts) and finds every
   * item it was woken for.
   */
  latest = 0;

  constructor(
    private readonly redisUrl: string | undefined,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}:stream`;
  }

  async start(): Promise<void> {
    if (!this.redisUrl) return;
    this.pub = new Redis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.sub = new Redis(this.redisUrl, { lazyConnect: true });
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    this.sub.on("message", (_channel: string, message: string) => {
      try {
        const { pos, users } = JSON.parse(message) as { pos: number; users: string[] };
        if (pos > this.latest) this.latest = pos;
        this.wakeLocal(users);
      } catch (err) {
        this.logger.warn({ err }, "bad notifier message");
      }
    });
    await this.sub.subscribe(this.channel);
  }

  /** Announces new stream items for users; call after the transaction commits. */
  publish(pos: number, users: Iterable<string>): void {
    if (pos > this.latest) this.latest = pos;
    const list = [...new Set(users)];
    if (list.length === 0) return;
    this.wakeLocal(list);
    this.pub?.publish(this.channel, JSON.stringify({ pos, users: list })).catch((err: unknown) => {
      this.logger.warn({ err }, "notifier publish failed; other processes wake at their time-out");
    });
  }

  /**
   * A wait that settles at the next wake-up for `userId` or after `timeoutMs`; `cancel()` stops
   * it. Subscribe before reading the database, so nothing slips between.
   */
  subscribe(userId: string, timeoutMs: number): Subscription {
    const w = new Waiter(this, userId, timeoutMs);
    const head = this.waiters.get(userId);
    if (head) {
      w.next = head;
      head.prev = w;
    }
    this.waiters.set(userId, w);
    this.count += 1;
    return w;
  }

  /** Unlinks a finished waiter (called by the waiter itself). */
  remove(w: Waiter): void {
    if (w.prev) w.prev.next = w.next;
    else if (w.next) this.waiters.set(w.userId, w.next);
    else this.waiters.delete(w.userId);
    if (w.next) w.next.prev = w.prev;
    w.prev = w.next = undefined;
    this.count -= 1;
  }

  /** Checks that Redis answers (a no-op in embedded mode). */
  async ping(): Promise<void> {
    await this.pub?.ping();
  }

  get waiting(): number {
    return this.count;
  }

  private wakeLocal(users: string[]): void {
    for (const u of users) {
      for (let w = this.waiters.get(u); w;) {
        const next = w.next;
        w.finish(true);
        w = next;
      }
    }
  }

  /** Answers every held long-poll now, with what it has (used at shutdown). */
  wakeAll(): void {
    this.closed = true;
    this.wakeLocal([...this.waiters.keys()]);
  }

  async close(): Promise<void> {
    this.wakeAll();
    await Promise.all([this.sub?.quit().catch(() => {}), this.pub?.quit().catch(() => {})]);
  }
}
