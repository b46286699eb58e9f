/**
 * `names`: handle resolution (`GET /handles/{handle}`) against the network's loopback DNS server
 * (Knot). Kinds: a number and a user name (the database only), a domain whose `_callsign` TXT
 * names this provider (a DNS answer, then the database), and an address at an unknown domain
 * (TXT and SRV answered NXDOMAIN, then the database). Cold: every lookup a name not asked before;
 * warm: the same few names again and again. The reference is the express round trip floor.
 *
 * The zone's records have a 300 s TTL and its negative answers may be kept as long (SOA), as a
 * real domain's would be, so a warm name stays cached through its case (negative answers: up to
 * the resolver's 10 s cap). The homeserver's `callsign_dns_lookups_total` counters (`/metrics`)
 * say per case how many DNS queries each lookup sent and how many answers came from the cache.
 * Then the DNS step alone, in this process (both clients warmed up on other names first): the
 * names service's client cold and warm, beside Node's resolver (c-ares, no cache) asking the
 * same cold names.
 */
import { Resolver } from "node:dns/promises";
import { CallsignPrefix } from "../../protocol/callsign/routes.js";
import { createDnsClient } from "../../server/src/services/names/dns.js";
import { JsonClient } from "../lib/http.js";
import { closedLoop, type LoadResult } from "../lib/load.js";
import { inBatches, register } from "../lib/matrix.js";
import { watchProcess } from "../lib/proc.js";
import { latencyRows, type Report, type Row } from "../lib/report.js";
import { round } from "../lib/stats.js";
import { startHomeserver } from "../lib/homeserver.js";
import type { Floors } from "./floors.js";

const IN_FLIGHT = 20;
const WARM_NAMES = 4;
const TTL_S = 300;
const WARM_UP = 2_000;

type DnsCounters = Record<"hit" | "shared" | "miss", number>;

/** The homeserver's DNS lookups so far, by how they were answered (`GET /metrics`). */
async function dnsCounters(baseUrl: string): Promise<DnsCounters> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const read = (result: string) =>
    Number(
      new RegExp(`^callsign_dns_lookups_total\\{result="${result}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0,
    );
  return { hit: read("hit"), shared: read("shared"), miss: read("miss") };
}

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
    // Asked once each before the DNS-alone cases, so that JIT warm-up is not counted as cold.
    const warmUp = Array.from({ length: 2 * WARM_UP }, (_, i) => `warmup${i}.${zone}`);
    await server.net.dns.addZone(`${zone}.`, {
      "@": { SOA: { values: [`ns.${zone}. hostmaster.${zone}. 1 60 60 3600 ${TTL_S}`], ttl: TTL_S } },
      ...Object.fromEntries(
        [...domains, ...warmUp].map((domain) => [
          `_callsign.${domain.slice(0, -zone.length - 1)}`,
          { TXT: { values: [`v=callsign1 provider=${serverName}`], ttl: TTL_S } },
        ]),
      ),
    });

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
        const before = await dnsCounters(server.baseUrl);
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
        const after = await dnsCounters(server.baseUrl);
        const dns = {
          queries_per_lookup: (after.miss - before.miss) / result.done,
          cache_hits_per_lookup: (after.hit + after.shared - before.hit - before.shared) / result.done,
        };
        if (result.failed) console.warn(`  ${name}: ${result.failed} failed, first: ${result.firstError}`);
        rows.push({
          case: name,
          metric: "lookups/s",
          value: result.per_s,
          reference: floors.express_get_rps,
          referenceName: "express GET",
        });
        rows.push(...latencyRows(name, result.latency.summary()).filter((r) => r.metric !== "max ms"));
        rows.push({ case: name, metric: "DNS queries/lookup", value: round(dns.queries_per_lookup, 3) });
        rows.push({ case: name, metric: "cache hits/lookup", value: round(dns.cache_hits_per_lookup, 3) });
        details[name] = {
          per_s: result.per_s,
          failed: result.failed,
          latency: result.latency.summary(),
          dns,
          homeserver: use,
        };
      }
    }

    // The DNS step alone: TXT lookups of the domains' `_callsign` records, in this process.
    const resolver = createDnsClient(server.net.dns.servers);
    const cares = new Resolver({ timeout: 2000, tries: 2 });
    cares.setServers(server.net.dns.servers);
    const record = (i: number) => `_callsign.${domains[i]!}`;
    try {
      await closedLoop(IN_FLIGHT, { count: WARM_UP, maxMs: 10_000 }, async (i) => {
        await Promise.all([
          resolver.txt(`_callsign.${warmUp[i]!}`),
          cares.resolveTxt(`_callsign.${warmUp[WARM_UP + i]!}.`),
        ]);
      });
      const alone = {
        "c-ares": (i: number) => cares.resolveTxt(`${record(i)}.`),
        cold: (i: number) => resolver.txt(record(i)),
        warm: (i: number) => resolver.txt(record(i % WARM_NAMES)),
      };
      const measured: Record<string, LoadResult> = {};
      for (const [label, lookup] of Object.entries(alone)) {
        measured[label] = await closedLoop(IN_FLIGHT, { count, maxMs: 60_000 }, async (i) => {
          await lookup(i);
        });
        const { failed, firstError } = measured[label]!;
        if (failed) console.warn(`  DNS alone, ${label}: ${failed} failed, first: ${firstError}`);
      }
      for (const temperature of ["cold", "warm"] as const) {
        const name = `DNS client alone, TXT, ${temperature}`;
        const own = measured[temperature]!;
        const ref = measured["c-ares"]!;
        rows.push({
          case: name,
          metric: "lookups/s",
          value: own.per_s,
          reference: ref.per_s,
          referenceName: "node:dns, cold",
        });
        rows.push(
          ...latencyRows(name, own.latency.summary(), ref.latency.summary(), "node:dns, cold").filter(
            (r) => r.metric !== "max ms",
          ),
        );
        details[name] = { per_s: own.per_s, failed: own.failed, latency: own.latency.summary() };
      }
      details["node:dns resolveTxt, cold"] = {
        per_s: measured["c-ares"]!.per_s,
        failed: measured["c-ares"]!.failed,
        latency: measured["c-ares"]!.latency.summary(),
      };
      details["DNS client alone, cache"] = resolver.stats();
    } finally {
      resolver.close();
      cares.cancel();
    }
  } finally {
    client.close();
    await server.close();
  }
  return { scenario: "names", mode: full ? "full" : "short", rows, details };
}
