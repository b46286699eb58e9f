/**
 * CPU and memory of a process, read from /proc while a benchmark phase runs: CPU seconds used
 * (user + system, all threads) and the resident set size, sampled every 100 ms (peak kept).
 */
import { readFileSync } from "node:fs";

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s. */
const TICKS_PER_S = 100;

export interface ProcessUse {
  /** CPU seconds the process used during the phase. */
  cpu_s: number;
  /** The same as a share of one core over the phase's wall time (1 = one core busy). */
  cores: number;
  rss_mb: number;
  peak_rss_mb: number;
}

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** Watches `pid` from now until `stop()`, which answers what it used meanwhile. */
export function watchProcess(pid: number): { stop: () => ProcessUse } {
  const started = performance.now();
  const cpu0 = cpuSeconds(pid);
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // The process is gone: stop() reports what was seen.
    }
  }, 100);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      const wall = (performance.now() - started) / 1000;
      const cpu = cpuSeconds(pid) - cpu0;
      const rss = rssBytes(pid);
      peak = Math.max(peak, rss);
      return {
        cpu_s: round(cpu),
        cores: round(wall > 0 ? cpu / wall : 0),
        rss_mb: round(rss / 2 ** 20, 1),
        peak_rss_mb: round(peak / 2 ** 20, 1),
      };
    },
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
