/** Prometheus metrics, one registry per homeserver instance (tests run several in one process). */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "callsign_http_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["method", "route", "status"],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: "callsign_http_request_duration_seconds",
    help: "HTTP request duration (long-polls included)",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(waitingSyncs: () => number) {
    new Gauge({
      name: "callsign_sync_long_polls",
      help: "/sync long-polls currently held by this process",
      registers: [this.registry],
      collect() {
        this.set(waitingSyncs());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: "callsign_" });
  }

  /** Counts an answered request and its duration since `started` (`process.hrtime.bigint()`). */
  answered(method: string, route: string, status: number, started: bigint): void {
    this.requests.inc({ method, route, status: String(status) });
    this.duration.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}
