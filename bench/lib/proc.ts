/**
 * Processes a benchmark starts or watches: CPU and memory read from /proc while a phase runs
 * (CPU seconds used, user + system, all threads, and the resident set size, sampled every 100 ms,
 * peak kept), open files, a settled RSS, stopping a child and cleaning up at exit, loopback
 * ports.
 */
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";

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

/** SIGTERM, then SIGKILL if the child has not exited within 6 s (Prosody's own shutdown deadline is 5 s). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 6_000);
  await exited;
  clearTimeout(timer);
}

/** Runs `cleanup` when this process exits or is told to stop; answers a function to stop that. */
export function onExit(cleanup: () => void): () => void {
  const signal = (sig: NodeJS.Signals) => {
    cleanup();
    // Nobody else handles it: die of it, as without this handler.
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  };
  process.once("exit", cleanup);
  process.once("SIGINT", signal);
  process.once("SIGTERM", signal);
  return () => {
    process.off("exit", cleanup);
    process.off("SIGINT", signal);
    process.off("SIGTERM", signal);
  };
}

/** A process's RSS once it has stopped moving (under 1% over a second; at most 15 s). */
export async function settledRss(pid: number): Promise<number> {
  let last = rssBytes(pid);
  const deadline = performance.now() + 15_000;
  for (;;) {
    await sleep(1000);
    const now = rssBytes(pid);
    if (Math.abs(now - last) < last * 0.01 || performance.now() > deadline) return now;
    last = now;
  }
}

/** How many file descriptors a process has open. */
export const openFiles = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** The "Max open files" soft limit of a process. */
export function openFilesLimit(pid: number): number {
  const line = /^Max open files\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/limits`, "utf8"))?.[1];
  return line === undefined || line === "unlimited" ? Infinity : Number(line);
}

/** A TCP port free on 127.0.0.1 just now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` now. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
