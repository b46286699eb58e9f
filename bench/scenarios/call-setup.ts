/**
 * `call-setup`: callers place calls to a Webcam service with online operators; measured from the
 * caller's "place call" request to the call's room appearing in an operator's `/sync` (the
 * placement includes the ring time-out job on BullMQ). Two shapes: as fast as it goes with 50
 * calls in flight, and a fixed 1,000 calls/s. Each shape gets a fresh service (its queue starts
 * empty) and the same callers. The reference is the bare pipeline measured in the same run
 * (express POST → one PostgreSQL insert → one BullMQ add → 202: bench/scenarios/floors.ts).
 */
import { ServiceKit } from "../../test/helpers/services.js";
import type { Subscriber } from "../../test/helpers/calls.js";
import { JsonClient } from "../lib/http.js";
import { closedLoop, openLoop, type LoadResult } from "../lib/load.js";
import { inBatches, register, SyncLoop, type Account, type SyncBody } from "../lib/matrix.js";
import { watchProcess } from "../lib/proc.js";
import { latencyRows, type Report, type Row } from "../lib/report.js";
import { startHomeserver } from "../lib/homeserver.js";
import type { Floors } from "./floors.js";
import { CallsignPrefix } from "../../protocol/callsign/routes.js";

const OPERATORS = 10;
const IN_FLIGHT = 50;
const FIXED_RATE = 1000;

/** The trial plan lets 20 operators online (the default basic plan: 2), ring time-outs wait 10 minutes. */
export const CALL_BENCH_ENV = {
  CALLSIGN_PLANS: "basic:1900:shared:20:30,business:14900:auto:50:480",
  CALLSIGN_RING_TIMEOUT_S: "600",
};

export async function callSetup(full: boolean, floors: Floors): Promise<Report> {
  const seconds = Number(process.env.BENCH_CALL_SECONDS ?? (full ? 10 : 2));
  const calls = FIXED_RATE * seconds;
  const server = await startHomeserver(CALL_BENCH_ENV);
  const client = new JsonClient(server.baseUrl, 256);
  const loops: SyncLoop[] = [];
  const rows: Row[] = [];
  const details: Record<string, unknown> = { operators: OPERATORS, calls_per_shape: calls };
  try {
    const run = Date.now().toString(36);
    const made = performance.now();
    const callers = await inBatches(calls, 16, (i) => register(client, `caller${i}-${run}@bench.test`));
    details.callers_registered_s = Math.round((performance.now() - made) / 100) / 10;
    const kit = await ServiceKit.start(server.baseUrl, "Bench Co");
    const operators = await inBatches(OPERATORS, 5, (i) => register(client, `op${i}-${run}@bench.test`));
    /** When each call's room first showed in an operator's sync. */
    const seen = new Map<string, { at: number } | { wake: (at: number) => void }>();
    for (const op of operators) {
      const loop = new SyncLoop(client, op.token, (answer: SyncBody) => {
        const at = performance.now();
        for (const roomId of Object.keys(answer.rooms?.invite ?? {})) {
          const entry = seen.get(roomId);
          if (entry && "wake" in entry) entry.wake(at);
          else if (!entry) seen.set(roomId, { at });
        }
      });
      loops.push(loop);
      await loop.ready;
    }

    const shape = async (
      name: string,
      load: (place: (caller: Account) => Promise<number>) => Promise<LoadResult>,
    ) => {
      // A fresh service, its operators online: its queue starts empty.
      const service = await kit.service(operators.map(asSubscriber));
      const place = async (caller: Account) => {
        const start = performance.now();
        const call = await client.ok<{ room_id: string }>(
          "POST",
          `${CallsignPrefix}/calls`,
          { handle: service.handle, topic: "Benchmark" },
          caller.token,
        );
        const entry = seen.get(call.room_id);
        const at =
          entry && "at" in entry
            ? entry.at
            : await new Promise<number>((wake, fail) => {
                seen.set(call.room_id, { wake });
                setTimeout(
                  () => fail(new Error("no operator's sync showed the call within 10 s")),
                  10_000,
                ).unref();
              });
        return at - start;
      };
      const watch = watchProcess(server.pid);
      const result = await load(place);
      const use = watch.stop();
      if (result.failed) console.warn(`  ${name}: ${result.failed} failed, first: ${result.firstError}`);
      details[name] = {
        done: result.done,
        failed: result.failed,
        per_s: result.per_s,
        latency: result.latency.summary(),
        homeserver: use,
      };
      return { result, use };
    };

    const max = await shape(`${IN_FLIGHT} in flight`, (place) =>
      closedLoop(IN_FLIGHT, { count: calls, maxMs: 120_000 }, (i) => place(callers[i]!)),
    );
    const fixed = await shape(`fixed ${FIXED_RATE}/s`, (place) =>
      openLoop(FIXED_RATE, { count: calls, maxMs: seconds * 1000 }, (i) => place(callers[i]!)),
    );

    rows.push({
      case: `${IN_FLIGHT} in flight`,
      metric: "calls/s",
      value: max.result.per_s,
      reference: floors.pipeline_rps,
      referenceName: "bare pipeline",
      target: "≥ 0.8× bare pipeline",
      met: max.result.per_s >= 0.8 * floors.pipeline_rps,
    });
    rows.push(...latencyRows(`${IN_FLIGHT} in flight`, max.result.latency.summary()));
    rows.push({ case: `${IN_FLIGHT} in flight`, metric: "homeserver cores", value: max.use.cores });
    const f = fixed.result.latency.summary();
    const fixedRef = { count: 0, mean_ms: 0, ...floors.pipeline_fixed };
    rows.push(...latencyRows(`fixed ${FIXED_RATE}/s`, f, fixedRef, "bare pipeline"));
    Object.assign(rows.at(-2)!, { target: "≤ 25 ms", met: f.p99_ms <= 25 });
    rows.push({ case: `fixed ${FIXED_RATE}/s`, metric: "calls/s", value: fixed.result.per_s });
    rows.push({ case: `fixed ${FIXED_RATE}/s`, metric: "homeserver cores", value: fixed.use.cores });
  } finally {
    for (const loop of loops) loop.stop();
    client.close();
    await server.close();
  }
  return { scenario: "call-setup", mode: full ? "full" : "short", rows, details };
}

/** ServiceKit adds operators by e-mail and switches them online with their token. */
function asSubscriber(a: Account & { email?: string }): Subscriber {
  return { user_id: a.userId, access_token: a.token, device_id: "", number: "", email: a.email! };
}
