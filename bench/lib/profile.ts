/**
 * CPU profiles of the homeserver under load: `profileOn()` has every homeserver a benchmark
 * spawns from then on write a V8 CPU profile when it exits (bench/lib/cpu-profiler.mjs, into
 * bench/profiles/), and `printProfiles()` names the costliest functions of the profiles written
 * since (self time, with where they are), so a run's top costs can be read without a viewer.
 * The .cpuprofile files open in Chrome's DevTools or speedscope as flame graphs.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";

const DIR = path.join(import.meta.dirname, "..", "profiles");
const TOP = 20;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function profileOn(): void {
  mkdirSync(DIR, { recursive: true });
  process.env.BENCH_NODE_OPTIONS = `--import ${path.join(import.meta.dirname, "cpu-profiler.mjs")}`;
  process.env.BENCH_PROFILE_DIR = DIR;
}

/** Summarises the profiles not yet summarised, renaming them `<scenario>-<n>.cpuprofile`. */
export function printProfiles(scenario: string): void {
  const fresh = readdirSync(DIR).filter((f) => f.startsWith("CPU.") && f.endsWith(".cpuprofile"));
  fresh.forEach((file, i) => {
    const named = path.join(DIR, `${scenario}-${i + 1}.cpuprofile`);
    renameSync(path.join(DIR, file), named);
    const top = topFunctions(JSON.parse(readFileSync(named, "utf8")) as CpuProfile);
    console.log(`\n  CPU profile ${path.relative(process.cwd(), named)}: costliest functions (self time)`);
    for (const t of top) console.log(`  ${t.percent.toFixed(1).padStart(5)} %  ${t.name}  ${t.where}`);
  });
}

export function topFunctions(profile: CpuProfile): { name: string; where: string; percent: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      ? `${url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "")}:${lineNumber + 1}`
      : "";
    const key = `${functionName || "(anonymous)"}\t${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([key, t]) => {
      const [name, where] = key.split("\t") as [string, string];
      return { name, where, percent: total ? (100 * t) / total : 0 };
    });
}
