/**
 * `call-setup`: callers place calls to a Webcam service with online operators; measured from the
 * caller's "place call" request to the call's room appearing in an operator's `/sync` (the
 * placement includes the ring time-out job on BullMQ). Two shapes: as fast as it goes with 50
 * calls in flight, and a fixed 1,000 calls/s. Each shape gets a fresh service (its queue starts
 * empty) and the same callers. The reference is the bare pipeline measured in the same run
 * (express POST → one PostgreSQL insert → one BullMQ add → 202: bench/scenarios/floors.ts).
 */
import { ServiceKit } from "../../test/helpers/services.js";
import { JsonClient } from "../lib/http.js";
import { closedLoop, loadSummary, openLoop, type LoadResult } from "../lib/load.js";
import { inBatches, register, type Account } from "../lib/matrix.js";
import { CallWatch } from "../lib/call-watch.js";
import { watchProcess } from "../lib/proc.js";
import { latencyRows, type Report, type Row } from "../lib/report.js";
import { startHomeserver } from "../lib/homeserver.js";
import type { Floors } from "./floors.js";

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
  let watch: CallWatch | undefined;
  const rows: Row[] = [];
  const details: Record<string, unknown> = { operators: OPERATORS, calls_per_shape: calls };
  try {
    const run = Date.now().toString(36);
    const made = performance.now();
    const callers = await inBatches(calls, 16, (i) => register(client, `caller${i}-${run}@bench.test`));
    details.callers_registered_s = Math.round((performance.now() - made) / 100) / 10;
    const kit = await ServiceKit.start(server.baseUrl, "Bench Co");
    const operators = await inBatches(OPERATORS, 5, (i) => register(client, `op${i}-${run}@bench.test`));
    watch = await CallWatch.start(client, operators);

    const shape = async (
      name: string,
      load: (place: (caller: Account) => Promise<number>) => Promise<LoadResult>,
    ) => {
      // A fresh service, its operators online: its queue starts empty.
      const service = await kit.service(watch!.asSubscribers);
      const place = (caller: Account) => watch!.place(client, caller, service.handle!);
      const usage = watchProcess(server.pid);
      const result = await load(place);
      const use = usage.stop();
      details[name] = { ...loadSummary(name, result), homeserver: use };
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
    watch?.stop();
    client.close();
    await server.close();
  }
  return { scenario: "call-setup", mode: full ? "full" : "short", rows, details };
}
