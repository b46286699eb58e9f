/**
 * What a benchmark run prints and keeps: rows of figures, each with the reference measured in
 * the same run beside it and their ratio, printed as a table and written as JSON
 * (bench/results/<scenario>.json, the latest run of each scenario) with the machine it ran on.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { LatencySummary } from "./stats.js";

export interface Row {
  /** What was measured, e.g. "1 in flight per pair". */
  case: string;
  /** The figure's name and unit, e.g. "messages/s", "p99 ms". */
  metric: string;
  value: number;
  /** The reference's figure in the same run (Prosody, the bare pipeline, a floor…). */
  reference?: number;
  referenceName?: string;
  /** What the target says, in words (e.g. "≥ Prosody", "≤ 25 ms"). */
  target?: string;
  /** Whether the target is met (absent: no target for this row). */
  met?: boolean;
}

export interface Report {
  scenario: string;
  mode: "short" | "full";
  rows: Row[];
  /** Everything else the scenario measured, kept as is in the JSON. */
  details: Record<string, unknown>;
}

export const machine = () => ({
  cpus: os.cpus().length,
  cpu_model: os.cpus()[0]?.model ?? "unknown",
  memory_gb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  kernel: os.release(),
});

export function latencyRows(
  caseName: string,
  own: LatencySummary,
  reference?: LatencySummary,
  referenceName?: string,
): Row[] {
  return (["p50_ms", "p99_ms", "max_ms"] as const).map((k) => ({
    case: caseName,
    metric: k.replace("_ms", " ms"),
    value: own[k],
    ...(reference && { reference: reference[k], referenceName }),
  }));
}

/** Prints the rows as a table. */
export function printReport(report: Report): void {
  const header = ["case", "metric", "Callsign", "reference", "ratio", "target", "met"];
  const lines = report.rows.map((r) => [
    r.case,
    r.metric,
    fmt(r.value),
    r.reference === undefined ? "" : `${fmt(r.reference)} (${r.referenceName ?? "ref"})`,
    r.reference ? fmt(r.value / r.reference) : "",
    r.target ?? "",
    r.met === undefined ? "" : r.met ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  console.log(`\n${report.scenario} (${report.mode})`);
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(line(l));
}

/** Writes bench/results/<scenario>.json and answers its path. */
export function writeReport(report: Report, dir = path.join(import.meta.dirname, "..", "results")): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.scenario}.json`);
  writeFileSync(
    file,
    JSON.stringify({ ...report, at: new Date().toISOString(), machine: machine() }, null, 2) + "\n",
  );
  return file;
}

function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(2);
}
