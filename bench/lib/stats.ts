/** Latency samples and what a benchmark reports of them. */

export interface LatencySummary {
  count: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
}

/** Collects latencies (ms) and answers percentiles (nearest rank). */
export class Latencies {
  private readonly samples: number[] = [];

  add(ms: number): void {
    this.samples.push(ms);
  }

  values(): readonly number[] {
    return this.samples;
  }

  get count(): number {
    return this.samples.length;
  }

  summary(): LatencySummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0;
    const sum = sorted.reduce((a, b) => a + b, 0);
    return {
      count: sorted.length,
      p50_ms: round(at(0.5)),
      p99_ms: round(at(0.99)),
      max_ms: round(sorted.at(-1) ?? 0),
      mean_ms: round(sorted.length ? sum / sorted.length : 0),
    };
  }
}

/** Milliseconds since `start` (a `performance.now()` reading). */
export const since = (start: number) => performance.now() - start;

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
