/** The names service's DNS cache in Prometheus (`GET /metrics`): how lookups were answered. */
import { Counter, Gauge, type Registry } from "prom-client";
import type { DnsClient } from "./dns.js";

/** Registers `callsign_dns_lookups_total{result}` and `callsign_dns_cache_entries` for `dns`. */
export function registerDnsMetrics(registry: Registry, dns: Pick<DnsClient, "stats">): void {
  const reported = { hit: 0, shared: 0, miss: 0 };
  new Counter({
    name: "callsign_dns_lookups_total",
    help: "DNS lookups of handle resolution and brand checks: hit (cache), shared (a query in flight), miss (a query sent)",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      const s = dns.stats();
      const now = { hit: s.hits, shared: s.shared, miss: s.misses };
      for (const result of ["hit", "shared", "miss"] as const) {
        this.inc({ result }, now[result] - reported[result]);
        reported[result] = now[result];
      }
    },
  });
  new Gauge({
    name: "callsign_dns_cache_entries",
    help: "DNS answers kept for handle resolution and brand checks",
    registers: [registry],
    collect() {
      this.set(dns.stats().entries);
    },
  });
}
