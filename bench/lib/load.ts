/**
 * Load shapes, bounded in count and in time: a closed loop (a fixed number of operations in
 * flight, each started when one ends) and an open loop (operations started at a fixed rate,
 * whatever the answers' pace). Each operation measures its own latency; the loops count and time.
 */
import { Latencies } from "./stats.js";

export interface LoadResult {
  /** Operations that completed. */
  done: number;
  failed: number;
  seconds: number;
  per_s: number;
  latency: Latencies;
  /** The first failure, to show. */
  firstError?: string;
}

export interface LoadLimits {
  /** At most this many operations in all. */
  count: number;
  /** And at most this long (ms): whichever comes first. */
  maxMs: number;
}

/**
 * Runs `op(i)` with `inFlight` operations at a time until `limits` say stop. `op` resolves with
 * the latency it measured (ms), or undefined to have the loop time it from start to end.
 */
export async function closedLoop(
  inFlight: number,
  limits: LoadLimits,
  op: (i: number) => Promise<number | void>,
): Promise<LoadResult> {
  const latency = new Latencies();
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + limits.maxMs;
  const worker = async () => {
    while (next < limits.count && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        const measured = await op(i);
        latency.add(typeof measured === "number" ? measured : performance.now() - t0);
      } catch (err) {
        failed++;
        firstError ??= String((err as Error).message ?? err);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return result(latency, failed, started, firstError);
}

/**
 * Starts `op(i)` every 1/`perS` seconds until `limits` say stop, then waits for those started.
 * Latency counts from the scheduled start, so a server falling behind shows in it.
 */
export async function openLoop(
  perS: number,
  limits: LoadLimits,
  op: (i: number) => Promise<number | void>,
): Promise<LoadResult> {
  const latency = new Latencies();
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const running: Promise<void>[] = [];
  const total = Math.min(limits.count, Math.floor((limits.maxMs / 1000) * perS));
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perS;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(
      op(i).then(
        (measured) => latency.add(typeof measured === "number" ? measured : performance.now() - due),
        (err: unknown) => {
          failed++;
          firstError ??= String((err as Error).message ?? err);
        },
      ),
    );
  }
  await Promise.all(running);
  return result(latency, failed, started, firstError);
}

/** A load's figures as a report keeps them; a failure is said on the console as well. */
export function loadSummary(name: string, l: LoadResult) {
  if (l.failed) console.warn(`  ${name}: ${l.failed} failed, first: ${l.firstError}`);
  return { done: l.done, failed: l.failed, seconds: l.seconds, per_s: l.per_s, latency: l.latency.summary() };
}

function result(latency: Latencies, failed: number, started: number, firstError?: string): LoadResult {
  const seconds = (performance.now() - started) / 1000;
  return {
    done: latency.count,
    failed,
    seconds: Math.round(seconds * 100) / 100,
    per_s: Math.round(latency.count / seconds),
    latency,
    ...(firstError && { firstError }),
  };
}
