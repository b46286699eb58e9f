/**
 * How long the widget waits before asking again after a failed status request: exponential in
 * the number of failures in a row, capped, with "equal jitter" (half the step fixed, half random)
 * so a widget never retries sooner than half a second, and the pages of many visitors that lost
 * the homeserver together do not come back in step.
 */

/** The first retry's step. */
export const RETRY_BASE_MS = 1_000;
/** The longest step: a widget whose homeserver stays away asks about once a minute. */
export const RETRY_CAP_MS = 60_000;

/**
 * The delay before retry number `failures` (1 for the first failure in a row).
 *
 * @param random a source of numbers in [0, 1); `Math.random` by default.
 * @example retryDelay(1) // between 500 and 1000 ms; retryDelay(10) between 30 and 60 s
 */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const step = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(Math.max(failures, 1) - 1, 16));
  return step / 2 + (random() * step) / 2;
}
