/**
 * A duty one process of a deployment does at a time (the PBX lines' registrations): the process
 * holding the lease does it, and renews the lease well before it runs out; a process that stops
 * renewing (stopped, crashed, cut off) loses it after `ttlMs` and another takes it on. With Redis
 * the lease is a key holding the holder's random ID; in embedded mode the one process holds it.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export interface Lease {
  /** Takes or renews the lease; true while this process holds it. */
  hold(): Promise<boolean>;
  /** Gives it up (when held), so another process need not wait for it to run out. */
  release(): Promise<void>;
}

/** Embedded mode: one process, which always holds it. */
export const soleProcess: Lease = { hold: async () => true, release: async () => undefined };

/** Renews the key's time only while it still holds our ID. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the key only while it still holds our ID. */
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export class RedisLease implements Lease {
  private readonly id = randomUUID();
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  }

  async hold(): Promise<boolean> {
    if (this.redis.status === "wait") await this.redis.connect();
    if ((await this.redis.set(this.key, this.id, "PX", this.ttlMs, "NX")) === "OK") return true;
    return (await this.redis.eval(RENEW, 1, this.key, this.id, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    if (this.redis.status === "ready") await this.redis.eval(RELEASE, 1, this.key, this.id).catch(() => 0);
    this.redis.disconnect();
  }
}
