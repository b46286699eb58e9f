/**
 * How long a destination waits after failed attempts: exponential from `baseMs`, capped at
 * `maxMs`, with jitter (×0.5–1.0) so that peers coming back are not hit by every sender at once.
 */
export interface BackoffSettings {
  /** The wait after the first failure, before jitter. */
  baseMs: number;
  /** The longest wait, before jitter. */
  maxMs: number;
}

/** The wait after `failures` failed attempts in a row (1 after the first); `random` in [0, 1). */
export function retryDelay(failures: number, s: BackoffSettings, random = Math.random()): number {
  const exp = Math.min(s.maxMs, s.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 40));
  return Math.round(exp * (0.5 + random / 2));
}
