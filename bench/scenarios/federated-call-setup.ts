/**
 * `federated-call-setup`: the call-setup measurement across two providers on loopback addresses
 * (a.example.test and b.example.test, separate processes and databases, signed requests both
 * ways): callers on A place calls to a service hosted on B (`<service>@b.example.test`), timed
 * to the call's room appearing in a B operator's `/sync`. The reference is the local figure in
 * the same run: callers on B placing calls to a service there, at the same concurrency. Also
 * measured: the CPU one signed request costs its sender and its receiver (sign and verify with
 * the keys at hand), in this process.
 */
import { generateKeyPairSync } from "node:crypto";
import { signRequest, verifyRequest } from "../../federation/src/signing/request-signature.js";
import { ServiceKit } from "../../test/helpers/services.js";
import { JsonClient } from "../lib/http.js";
import { closedLoop, loadSummary, type LoadResult } from "../lib/load.js";
import { inBatches, register, type Account } from "../lib/matrix.js";
import { CallWatch } from "../lib/call-watch.js";
import { latencyRows, type Report, type Row } from "../lib/report.js";
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
    const signing = await signatureCost(full ? 5000 : 1000);
    details.signature = signing;
    rows.push(
      { case: "signed request", metric: "sign µs CPU", value: signing.sign_us },
      { case: "signed request", metric: "verify µs CPU", value: signing.verify_us },
      {
        case: "signed request",
        metric: "sign + verify µs CPU",
        value: signing.sign_us + signing.verify_us,
        target: "≤ 150 µs",
        met: signing.sign_us + signing.verify_us <= 150,
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

/** CPU per signed request (a call placement's size), sender and receiver, keys at hand. */
async function signatureCost(n: number): Promise<{ sign_us: number; verify_us: number }> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const key = { keyId: "bench-key", privateKey };
  const body = Buffer.from(
    JSON.stringify({ handle: "desk@b.example.test", topic: "Benchmark", caller: "@1:a" }),
  );
  const url = "https://b.example.test/_callsign/federation/v1/calls";
  const signed: Record<string, string>[] = [];
  const cpu = process.cpuUsage();
  {
    for (let i = 0; i < n; i++)
      signed.push(await signRequest({ method: "POST", url, headers: {}, body }, key));
    const signCpu = process.cpuUsage(cpu);
    const seen = new Set<string>();
    const verifyStart = process.cpuUsage();
    for (const headers of signed) {
      await verifyRequest(
        { method: "POST", url, headers, body },
        {
          keyFor: async () => publicKey,
          firstUse: async (_k, nonce) => !seen.has(nonce) && !!seen.add(nonce),
        },
      );
    }
    const verifyCpu = process.cpuUsage(verifyStart);
    return {
      sign_us: Math.round((signCpu.user + signCpu.system) / n),
      verify_us: Math.round((verifyCpu.user + verifyCpu.system) / n),
    };
  }
}
