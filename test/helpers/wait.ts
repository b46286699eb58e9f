/** Waiting for a state a server reaches by itself (a clock, a job) by asking, never by sleeping blind. */
import { ProtocolError } from "../../clients/sdk/src/index.js";

/**
 * Repeats `request` until it fails with `errcode`; any other failure is thrown at once.
 *
 * @example await waitUntilRejected(() => api.handle("100000001", "flash"), "IO_CALLSIGN_TAG_EXPIRED");
 */
export async function waitUntilRejected(
  request: () => Promise<unknown>,
  errcode: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await request();
    } catch (error) {
      if (error instanceof ProtocolError && error.errcode === errcode) return;
      throw error;
    }
    if (Date.now() > deadline) throw new Error(`still no ${errcode} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Polls `probe` every 100 ms until it answers something other than `undefined` (a state the
 * server reaches by itself: a job ran, a deadline passed).
 *
 * @example const missed = await until("the missed call", async () => (await getCall()).state === "missed" || undefined);
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
