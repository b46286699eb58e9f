/**
 * Test helper: a real Janus (Debian's package `janus`) for one suite, alone in a network
 * namespace the helper makes, with the config the homeserver would use
 * (server/src/media/janus/config.ts).
 *
 * Why a namespace: Janus never offers loopback candidates, so on 127.0.0.1 no peer could reach
 * its media. A veth pair gives it a real interface: the host side 10.231.X.Y+1/30 (where the
 * test's WebRTC peers and the pool live) and the namespace side 10.231.X.Y+2/30, where Janus
 * binds its websocket API, its admin API and its media. Nothing else runs there, so fixed
 * ports are free and a suite's Janus cannot meet another suite's.
 *
 * Needs root (ip netns) and iproute2. `close()` kills Janus and deletes the namespace, which
 * deletes the veth pair with it; a failed start cleans up the same way, and what a test forgot
 * to close is removed when the process exits.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Janode from "janode";
import { writeJanusConfig } from "../../server/src/media/janus/config.js";
import type { JanusInstanceConfig } from "../../server/src/media/janus/types.js";

const run = promisify(execFile);
const APT_HINT = "(apt-get install -y janus iproute2, or run scripts/provision.sh)";
const START_TIMEOUT_MS = 15_000;
const API_PORT = 8188;
const ADMIN_PORT = 7188;

export interface JanusFixture {
  /** The network namespace Janus runs in. */
  namespace: string;
  /** Janus's address (namespace side): API, admin API and media. */
  address: string;
  /** Our side of the veth pair: where test peers bind to reach Janus's media. */
  hostAddress: string;
  /** Ready for `JanusPool.open({ instances: [fixture.instance] })`. */
  instance: JanusInstanceConfig;
  /** Janus's latest output lines, for failure messages. */
  logs(): string[];
  /**
   * Kills Janus (SIGKILL: a crash, not a shutdown) and starts it again with the same config,
   * address and secrets; resolves once it answers `info`. What it held is gone.
   */
  restart(): Promise<void>;
  /** Kills Janus, deletes the namespace (and the veth pair) and the config folder. Safe twice. */
  close(): Promise<void>;
}

/** Namespaces and folders of fixtures still open, for the exit hook. */
const live = new Map<string, { child?: ChildProcess; dir: string; ip: string }>();
process.once("exit", () => {
  for (const [ns, { child, dir, ip }] of live) {
    child?.kill("SIGKILL");
    try {
      execFileSync(ip, ["netns", "del", ns], { stdio: "ignore" });
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Starts Janus in a fresh network namespace and waits until it answers `info`.
 *
 * @example
 * const janus = await startJanus("calls");
 * const pool = await JanusPool.open({ instances: [janus.instance] });
 * // ... peers bind to janus.hostAddress
 * await pool.close();
 * await janus.close();
 */
export async function startJanus(id = "janus"): Promise<JanusFixture> {
  const janus = findBinary("janus", "janus");
  const ip = findBinary("ip", "iproute2");
  const tag = randomBytes(3).toString("hex");
  const namespace = `cs-janus-${tag}`;
  const { host, peer } = freeSubnet();
  const dir = await mkdtemp(path.join(tmpdir(), "callsign-janus-"));
  live.set(namespace, { dir, ip });
  let log: string[] = [];
  let child: ChildProcess | undefined;

  const stop = async (signal: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child!.once("exit", () => resolve()));
    child.kill(signal);
    // Janus takes a moment to close its plugins; a stuck one is killed.
    const killer = setTimeout(() => child!.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(killer);
  };
  const cleanup = async () => {
    await stop("SIGTERM");
    // Anything else a test started inside the namespace would keep it alive.
    const pids = await run(ip, ["netns", "pids", namespace]).catch(() => ({ stdout: "" }));
    for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Already exited.
      }
    }
    await run(ip, ["netns", "del", namespace]).catch(() => undefined);
    await run(ip, ["link", "del", `csj${tag}h`]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    live.delete(namespace);
  };

  const secrets = { api: hex(16), admin: hex(16), room: hex(16) };
  try {
    await makeNamespace(ip, namespace, tag, host, peer);
    const { args } = await writeJanusConfig({
      dir: path.join(dir, "conf"),
      mediaAddress: peer,
      api: { address: peer, port: API_PORT, secret: secrets.api },
      admin: { address: peer, port: ADMIN_PORT, secret: secrets.admin },
      roomAdminKey: secrets.room,
      serverName: `callsign-test-${tag}`,
    });
    const url = `ws://${peer}:${API_PORT}`;
    const launch = async () => {
      // `ip netns exec` execs janus in place: the child's pid is Janus's.
      const started = spawn(ip, ["netns", "exec", namespace, janus, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = started;
      live.set(namespace, { child: started, dir, ip });
      for (const stream of [started.stdout!, started.stderr!]) {
        stream.setEncoding("utf8");
        stream.on("data", (chunk: string) => {
          log.push(...chunk.split("\n").filter(Boolean));
          if (log.length > 300) log = log.slice(-300);
        });
        // A fixture a test forgot to close must not keep mocha alive (the exit hook kills it).
        (stream as unknown as { unref(): void }).unref();
      }
      started.unref();
      await waitForInfo(started, url, secrets.api, () => log);
    };
    await launch();
    return {
      namespace,
      address: peer,
      hostAddress: host,
      instance: {
        id,
        url,
        apiSecret: secrets.api,
        adminUrl: `ws://${peer}:${ADMIN_PORT}`,
        adminSecret: secrets.admin,
        roomAdminKey: secrets.room,
      },
      logs: () => [...log],
      async restart() {
        await stop("SIGKILL");
        await launch();
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function makeNamespace(
  ip: string,
  namespace: string,
  tag: string,
  host: string,
  peer: string,
): Promise<void> {
  // Interface names are at most 15 characters: csj<6 hex><h|n>.
  const [hostIf, peerIf] = [`csj${tag}h`, `csj${tag}n`];
  const steps: string[][] = [
    ["netns", "add", namespace],
    ["link", "add", hostIf, "type", "veth", "peer", "name", peerIf],
    ["link", "set", peerIf, "netns", namespace],
    ["addr", "add", `${host}/30`, "dev", hostIf],
    ["link", "set", hostIf, "up"],
    ["-n", namespace, "addr", "add", `${peer}/30`, "dev", peerIf],
    ["-n", namespace, "link", "set", peerIf, "up"],
    ["-n", namespace, "link", "set", "lo", "up"],
  ];
  for (const step of steps) {
    try {
      await run(ip, step);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new Error(
        `${ip} ${step.join(" ")}: ${stderr || (error as Error).message}` +
          (process.getuid?.() === 0 ? "" : " (network namespaces need root)"),
        { cause: error },
      );
    }
  }
}

/** A /30 in 10.231.0.0/16 that no interface here uses: [host side, namespace side]. */
function freeSubnet(): { host: string; peer: string } {
  const used = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((a) => a?.address)
      .filter((a) => a?.startsWith("10.231.")),
  );
  for (let i = 0; i < 100; i++) {
    const x = Math.floor(Math.random() * 256);
    const y = Math.floor(Math.random() * 64) * 4;
    const host = `10.231.${x}.${y + 1}`;
    const peer = `10.231.${x}.${y + 2}`;
    if (!used.has(host) && !used.has(peer)) return { host, peer };
  }
  throw new Error("no free /30 in 10.231.0.0/16");
}

/** Asks `info` through janode until Janus answers, or fails with its output. */
async function waitForInfo(
  child: ChildProcess,
  url: string,
  secret: string,
  log: () => string[],
): Promise<void> {
  Janode.Logger.setLevel("none");
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last: string;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `janus exited (${child.exitCode ?? child.signalCode}) while starting:\n${log().join("\n")}`,
      );
    try {
      const connection = await Janode.connect({ address: { url, apisecret: secret }, max_retries: 0 });
      try {
        const info = await connection.getInfo();
        if (info.janus === "server_info") return;
        last = JSON.stringify(info);
      } finally {
        await connection.close().catch(() => undefined);
      }
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `janus did not answer info on ${url} within ${START_TIMEOUT_MS} ms (${last}):\n${log().join("\n")}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Where a binary is, from PATH and the sbin folders (ip is in /usr/sbin, often not in a user's PATH). */
function findBinary(name: string, pkg: string): string {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];
  for (const d of dirs) {
    if (d && existsSync(path.join(d, name))) return path.join(d, name);
  }
  throw new Error(`${name} not found: install Debian's package '${pkg}' ${APT_HINT}`);
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** The homeserver settings that make `janus` its media gateway (spec/media.md). */
export function janusEnv(janus: JanusFixture): Record<string, string> {
  return {
    CALLSIGN_JANUS_URLS: janus.instance.url,
    CALLSIGN_JANUS_ADMIN_URLS: janus.instance.adminUrl,
    CALLSIGN_JANUS_API_SECRET: janus.instance.apiSecret,
    CALLSIGN_JANUS_ADMIN_SECRET: janus.instance.adminSecret,
    CALLSIGN_JANUS_ROOM_ADMIN_KEY: janus.instance.roomAdminKey,
  };
}
