/**
 * Exercises the Prosody reference (bench/reference/prosody.ts) and prints its figures: 10 pairs ×
 * 2,000 messages at 1 and 10 in flight per pair with the lean client the benchmarks use, then the
 * same with @xmpp/client (which also enables stream management) to show what the client changes;
 * then, on a fresh Prosody, 1,000 idle connections.
 * Run with `npx tsx bench/reference/prosody-check.ts` (after scripts/provision-bench.sh).
 */
import os from "node:os";
import { startProsody, xmppIdle, xmppMessages, type ClientKind } from "./prosody.js";

/** Other work on the machine skews every figure: the load average shows it. */
const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

console.log(`${os.cpus().length} CPUs, load average ${load()}`);
let server = await startProsody({ users: 20 });
try {
  console.log(`Prosody pid ${server.pid} on 127.0.0.1:${server.port} (${server.domain})`);
  for (const client of ["lean", "xmpp.js"] satisfies ClientKind[]) {
    for (const inFlight of [1, 10]) {
      const r = await xmppMessages(server, { pairs: 10, messages: 2_000, inFlight, maxMs: 60_000, client });
      console.log(
        `${client}, 10 pairs, ${inFlight} in flight per pair: ${r.per_s} messages/s` +
          ` (${r.delivered} delivered, ${r.failed} failed, ${r.seconds} s),` +
          ` latency p50 ${r.latency.p50_ms} ms, p99 ${r.latency.p99_ms} ms, max ${r.latency.max_ms} ms;` +
          ` Prosody ${r.prosody.cores} cores, ${r.prosody.rss_mb} MB; client ${r.client.cores} cores` +
          (r.firstError ? `; first error: ${r.firstError}` : ""),
      );
    }
  }
} finally {
  await server.close();
}

// Idle connections on a Prosody of their own: memory freed by the load above would be reused.
server = await startProsody({ users: 0 });
try {
  const idle = await xmppIdle(server, { clients: 1_000 });
  console.log(
    `lean, ${idle.clients} idle connections: ${idle.kb_per_client} KB each` +
      ` (Prosody RSS ${idle.rss_before_mb} → ${idle.rss_after_mb} MB)`,
  );
} finally {
  await server.close();
}
console.log(`load average ${load()}`);
