/**
 * Token-bucket rate limits per client key (user ID when authenticated, else IP). Buckets live
 * in the process: behind a load balancer each process enforces its share, which bounds abuse
 * without a Redis round trip per request. Idle buckets are swept so memory stays flat.
 */
import { ProtocolError } from "../../../protocol/errors.js";

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly ratePerMs: number,
    private readonly burst: number,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** Takes one token for `key`, or throws M_LIMIT_EXCEEDED with the wait in `retry_after_ms`. */
  take(key: string, now = Date.now()): void {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.ratePerMs);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      const retry = Math.ceil((1 - b.tokens) / this.ratePerMs);
      throw new ProtocolError("M_LIMIT_EXCEEDED", "Too many requests", { retry_after_ms: retry });
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
  }

  private sweep(now = Date.now()): void {
    for (const [k, b] of this.buckets)
      if (b.tokens + (now - b.at) * this.ratePerMs >= this.burst) this.buckets.delete(k);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
