/**
 * `federated-call-setup`: the call-setup measurement across two providers on loopback addresses
 * (a.example.test and b.example.test, separate processes and databases, signed requests both
 * ways): callers on A place calls to a service hosted on B (`<service>@b.example.test`), timed
 * to the call's room appearing in a B operator's `/sync`. The reference is the local figure in
 * the same run: callers on B placing calls to a service there, at the same concurrency. Also
 * measured: the CPU one signed request costs its sender and its receiver (sign and verify with
 * the keys at hand), in this process.
 */
import { ServiceKit } from "../../test/helpers/services.js";
import { JsonClient } from "../lib/http.js";
import { closedLoop, loadSummary, type LoadResult } from "../lib/load.js";
import { inBatches, register, type Account } from "../lib/matrix.js";
import { CallWatch } from "../lib/call-watch.js";
import { latencyRows, type Report, type Row } from "../lib/report.js";
import { signatureCost } from "../lib/signature-cost.js";
import { startFederation } from "../lib/homeserver.js";
import { CALL_BENCH_ENV } from "./call-setup.js";

const A = "a.example.test";
const B = "b.example.test";
const OPERATORS = 10;
const IN_FLIGHT = 10;

export async function federatedCallSetup(full: boolean): Promise<Report> {
  const calls = full ? 2000 : 300;
  const fed = await startFederation([A, B], CALL_BENCH_ENV);
  const atA = new JsonClient(fed.get(A).url, 64);
  const atB = new JsonClient(fed.get(B).url, 64);
  let watch: CallWatch | undefined;
  const rows: Row[] = [];
  const details: Record<string, unknown> = { operators: OPERATORS, in_flight: IN_FLIGHT, calls };
  try {
    const run = Date.now().toString(36);
    const remoteCallers = await inBatches(calls, 16, (i) => register(atA, `fa${i}-${run}@bench.test`));
    const localCallers = await inBatches(calls, 16, (i) => register(atB, `fb${i}-${run}@bench.test`));
    const operators = await inBatches(OPERATORS, 5, (i) => register(atB, `fop${i}-${run}@bench.test`));
    watch = await CallWatch.start(atB, operators);
    const kit = await ServiceKit.start(fed.get(B).url, "Federated Co");

    const shape = async (name: string, client: JsonClient, callers: Account[], suffix: string) => {
      const service = await kit.service(watch!.asSubscribers);
      const result = await closedLoop(IN_FLIGHT, { count: calls, maxMs: 120_000 }, (i) =>
        watch!.place(client, callers[i]!, `${service.handle}${suffix}`),
      );
      details[name] = loadSummary(name, result);
      return result;
    };
    const local: LoadResult = await shape("local (on B)", atB, localCallers, "");
    const remote: LoadResult = await shape("federated (A → B)", atA, remoteCallers, `@${B}`);
    const l = local.latency.summary();
    const r = remote.latency.summary();
    rows.push({
      case: "federated (A → B)",
      metric: "calls/s",
      value: remote.per_s,
      reference: local.per_s,
      referenceName: "local",
    });
    rows.push(...latencyRows("federated (A → B)", r, l, "local"));
    Object.assign(rows.at(-2)!, { target: "≤ 2× local", met: r.p99_ms <= 2 * l.p99_ms });
    // Warm (the request path runs all day), several rounds: the median, beside Ed25519 alone.
    const signing = await signatureCost(full ? 5000 : 1000, full ? 5 : 3);
    details.signature = signing;
    const m = signing.median;
    const us = (v: number) => Math.round(v * 10) / 10;
    const crypto = m.ed25519_sign + m.ed25519_verify;
    rows.push(
      {
        case: "signed request",
        metric: "sign µs CPU",
        value: us(m.sign),
        reference: us(m.ed25519_sign),
        referenceName: "Ed25519",
      },
      {
        case: "signed request",
        metric: "verify µs CPU",
        value: us(m.verify),
        reference: us(m.ed25519_verify),
        referenceName: "Ed25519",
      },
      {
        case: "signed request",
        metric: "sign + verify µs CPU",
        value: us(m.sign + m.verify),
        reference: us(crypto),
        referenceName: "Ed25519",
        target: "≤ 150 µs",
        met: m.sign + m.verify <= 150,
      },
    );
  } finally {
    watch?.stop();
    atA.close();
    atB.close();
    await fed.close();
  }
  return { scenario: "federated-call-setup", mode: full ? "full" : "short", rows, details };
}
