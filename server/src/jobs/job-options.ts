/** Defaults and checks for `JobOptions`, shared by both engines so they agree. */
import { randomUUID } from "node:crypto";
import type { JobOptions } from "./types.js";

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 10;

export type ResolvedJobOptions = Required<JobOptions>;

export function resolveJobOptions(opts: JobOptions = {}): ResolvedJobOptions {
  const resolved = {
    delayMs: opts.delayMs ?? 0,
    jobId: opts.jobId ?? randomUUID(),
    attempts: opts.attempts ?? DEFAULT_ATTEMPTS,
    backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS,
  };
  if (!Number.isFinite(resolved.delayMs) || resolved.delayMs < 0) {
    throw new RangeError(`delayMs must be a non-negative number, got ${opts.delayMs}`);
  }
  if (!Number.isInteger(resolved.attempts) || resolved.attempts < 1) {
    throw new RangeError(`attempts must be an integer ≥ 1, got ${opts.attempts}`);
  }
  if (!Number.isFinite(resolved.backoffMs) || resolved.backoffMs < 0) {
    throw new RangeError(`backoffMs must be a non-negative number, got ${opts.backoffMs}`);
  }
  if (resolved.jobId === "") throw new RangeError("jobId must not be empty");
  return resolved;
}

/** Wait before the next attempt once `attemptsMade` attempts failed: BullMQ's exponential formula. */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return Math.round(2 ** (attemptsMade - 1) * backoffMs);
}

/** Polls `isIdle` every 20 ms until it holds; rejects after `timeoutMs`. */
export async function pollUntilIdle(
  isIdle: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string | Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isIdle()) return;
    if (Date.now() >= deadline) {
      throw new Error(`jobs not idle after ${timeoutMs} ms: ${await describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
