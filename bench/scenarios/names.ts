/**
 * `names`: handle resolution (`GET /handles/{handle}`) against the network's loopback DNS server
 * (Knot). Kinds: a number and a user name (the database only), a domain whose `_callsign` TXT
 * names this provider (a DNS answer, then the database), and an address at an unknown domain
 * (TXT and SRV answered NXDOMAIN, then the database). Cold: every lookup a name not asked before;
 * warm: the same few names again and again. The reference is the express round trip floor.
 */
import { CallsignPrefix } from "../../protocol/callsign/routes.js";
import { JsonClient } from "../lib/http.js";
import { closedLoop } from "../lib/load.js";
import { inBatches, register } from "../lib/matrix.js";
import { watchProcess } from "../lib/proc.js";
import { latencyRows, type Report, type Row } from "../lib/report.js";
import { startHomeserver } from "../lib/homeserver.js";
import type { Floors } from "./floors.js";

const IN_FLIGHT = 20;
const WARM_NAMES = 4;

export async function names(full: boolean, floors: Floors): Promise<Report> {
  const count = full ? 20_000 : 2_000;
  const server = await startHomeserver();
  const client = new JsonClient(server.baseUrl, IN_FLIGHT + 4);
  const rows: Row[] = [];
  const details: Record<string, unknown> = { lookups_per_case: count, in_flight: IN_FLIGHT };
  try {
    const run = Date.now().toString(36);
    const asker = await register(client, `asker-${run}@bench.test`);
    const people = await inBatches(WARM_NAMES, 4, (i) =>
      register(client, `p${i}-${run}@bench.test`, `bench${i}${run}`),
    );
    const numbers = await Promise.all(
      people.map(
        async (p) =>
          (
            await client.ok<{ user: { number: string } }>(
              "GET",
              `${CallsignPrefix}/handles/${encodeURIComponent(p.userId.slice(1).split(":")[0]!)}`,
              undefined,
              asker.token,
            )
          ).user.number,
      ),
    );
    // Domains whose TXT names this provider: one per cold lookup, a few for the warm ones.
    const serverName = server.net.env.CALLSIGN_SERVER_NAME!;
    const zone = `bench${run}.test`;
    const domains = Array.from({ length: count }, (_, i) => `brand${i}.${zone}`);
    await server.net.dns.addZone(
      `${zone}.`,
      Object.fromEntries(
        domains.map((_, i) => [`_callsign.brand${i}`, { TXT: [`v=callsign1 provider=${serverName}`] }]),
      ),
    );

    const kinds: Record<string, { cold: (i: number) => string; warm: (i: number) => string }> = {
      number: {
        cold: (i) => String(100_000_000 + 500_000 + i),
        warm: (i) => numbers[i % WARM_NAMES]!,
      },
      "user name": {
        cold: (i) => `nobody${i}${run}`,
        warm: (i) => `bench${i % WARM_NAMES}${run}`,
      },
      "domain (TXT)": { cold: (i) => domains[i]!, warm: (i) => domains[i % WARM_NAMES]! },
      "address, unknown domain (NXDOMAIN)": {
        cold: (i) => `sales@none${i}.${zone}`,
        warm: (i) => `sales@none${i % WARM_NAMES}.${zone}`,
      },
    };
    // Warm the server's code paths first, outside the measurement.
    await closedLoop(IN_FLIGHT, { count: 500, maxMs: 10_000 }, (i) =>
      client
        .request(
          "GET",
          `${CallsignPrefix}/handles/${encodeURIComponent(kinds.number!.warm(i))}`,
          undefined,
          asker.token,
        )
        .then(() => undefined),
    );
    for (const [kind, names] of Object.entries(kinds)) {
      for (const temperature of ["cold", "warm"] as const) {
        const name = `${kind}, ${temperature}`;
        const watch = watchProcess(server.pid);
        const result = await closedLoop(IN_FLIGHT, { count, maxMs: 60_000 }, async (i) => {
          const res = await client.request(
            "GET",
            `${CallsignPrefix}/handles/${encodeURIComponent(names[temperature](i))}`,
            undefined,
            asker.token,
          );
          if (res.status !== 200 && res.status !== 404)
            throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
        });
        const use = watch.stop();
        if (result.failed) console.warn(`  ${name}: ${result.failed} failed, first: ${result.firstError}`);
        rows.push({
          case: name,
          metric: "lookups/s",
          value: result.per_s,
          reference: floors.express_get_rps,
          referenceName: "express GET",
        });
        rows.push(...latencyRows(name, result.latency.summary()).filter((r) => r.metric !== "max ms"));
        details[name] = {
          per_s: result.per_s,
          failed: result.failed,
          latency: result.latency.summary(),
          homeserver: use,
        };
      }
    }
  } finally {
    client.close();
    await server.close();
  }
  return { scenario: "names", mode: full ? "full" : "short", rows, details };
}
