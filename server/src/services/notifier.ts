/**
 * Wake-ups for `/sync` long-polls. A writer publishes "position P concerns users U" after its
 * transaction commits; every homeserver process wakes the long-polls it holds for those users.
 * Across processes this goes through Redis pub/sub (one channel per deployment prefix), so a
 * message sent through one process wakes a client held by another within milliseconds; in
 * embedded mode there is one process and the wake-up stays local.
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";

type Waiter = () => void;

export class Notifier {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private pub: Redis | undefined;
  private sub: Redis | undefined;
  private readonly channel: string;
  /** Set by `close()`: woken long-polls answer with what they have instead of reading again. */
  closed = false;

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
        const { users } = JSON.parse(message) as { pos: number; users: string[] };
        this.wakeLocal(users);
      } catch (err) {
        this.logger.warn({ err }, "bad notifier message");
      }
    });
    await this.sub.subscribe(this.channel);
  }

  /** Announces new stream items for users; call after the transaction commits. */
  publish(pos: number, users: Iterable<string>): void {
    const list = [...new Set(users)];
    if (list.length === 0) return;
    this.wakeLocal(list);
    this.pub?.publish(this.channel, JSON.stringify({ pos, users: list })).catch((err: unknown) => {
      this.logger.warn({ err }, "notifier publish failed; other processes wake at their time-out");
    });
  }

  /**
   * Returns a promise that resolves at the next wake-up for `userId` or after `timeoutMs`, and a
   * function to stop waiting. Subscribe before reading the database, so nothing slips between.
   */
  subscribe(userId: string, timeoutMs: number): { woken: Promise<boolean>; cancel: () => void } {
    let set = this.waiters.get(userId);
    if (!set) this.waiters.set(userId, (set = new Set()));
    let done!: (woken: boolean) => void;
    const woken = new Promise<boolean>((resolve) => (done = resolve));
    const timer = setTimeout(() => finish(false), timeoutMs);
    const waiter: Waiter = () => finish(true);
    const finish = (value: boolean) => {
      clearTimeout(timer);
      const s = this.waiters.get(userId);
      s?.delete(waiter);
      if (s && s.size === 0) this.waiters.delete(userId);
      done(value);
    };
    set.add(waiter);
    return { woken, cancel: () => finish(false) };
  }

  /** Checks that Redis answers (a no-op in embedded mode). */
  async ping(): Promise<void> {
    await this.pub?.ping();
  }

  get waiting(): number {
    let n = 0;
    for (const s of this.waiters.values()) n += s.size;
    return n;
  }

  private wakeLocal(users: string[]): void {
    for (const u of users) {
      const set = this.waiters.get(u);
      if (set) for (const w of [...set]) w();
    }
  }

  /** Answers every held long-poll now, with what it has (used at shutdown). */
  wakeAll(): void {
    this.closed = true;
    for (const set of this.waiters.values()) for (const w of [...set]) w();
  }

  async close(): Promise<void> {
    this.wakeAll();
    await Promise.all([this.sub?.quit().catch(() => {}), this.pub?.quit().catch(() => {})]);
  }
}
