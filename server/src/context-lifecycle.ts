/** Closing what createContext opened. */
import type { AppContext } from "./context.js";

/**
 * Closes everything the context opened. Every step is tried even when one before it fails, and
 * the database closes last: a connection left open would outlive the process's work (and, in
 * tests, be cut when the database is dropped). The failures are reported together.
 */
export async function closeContext(ctx: AppContext): Promise<void> {
  const steps: (() => unknown)[] = [
    () => Object.values(ctx.limits).forEach((limiter) => limiter.close()),
    () => ctx.jobs.close(),
    () => ctx.notifier.close(),
    () => ctx.email.close(),
    () => ctx.dns.close(),
    () => ctx.domains.close(),
    () => ctx.peers.close(),
    () => ctx.pbxLines?.close(),
    () => ctx.janus?.close(),
    () => ctx.db.close(),
  ];
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length) throw new AggregateError(failures, "closing the homeserver failed");
}
