/**
 * The Prosody reference: starts Debian's Prosody 0.12 on a loopback port with a config of its own
 * (memory storage, no TLS, no s2s, Nagle off, no mod_limits) and measures it: chat messages
 * between pairs of logged-in users (throughput, latency, Prosody's CPU and memory meanwhile) and
 * the memory Prosody holds per idle connection. Prosody runs as a child of this process; close()
 * (or this process exiting) ends it and removes its temp dir.
 *
 * The connections come from a lean client (./xmpp-client.ts) by default, plain c2s XMPP. The npm
 * client, @xmpp/client (`client: "xmpp.js"`), costs this process 2–3× the CPU per message (an XML
 * tree and middleware per stanza), which on a 2-core machine shared with Prosody and anything else
 * shows in the figures. It stays as a cross-check, made to speak the same protocol (see loginXmppJs).
 *
 * Measure messages and idle connections on separate servers. Prosody 0.12's default GC
 * (incremental, pause 105%) costs more per message the more it holds: after 1,000 idle connections
 * came and went (mod_pep and mod_blocklist keep per-user caches) a message cost Prosody about 3×
 * the CPU it did on a fresh server. And memory freed by earlier load is reused by new connections,
 * so an idle figure taken after other load reads low.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { closedLoop, openLoop, type LoadResult } from "../lib/load.js";
import {
  canConnect,
  freePort,
  onExit,
  openFiles,
  openFilesLimit,
  settledRss,
  sleep,
  stopChild,
  watchProcess,
} from "../lib/proc.js";
import { Latencies, round, type LatencySummary } from "../lib/stats.js";
import {
  arrived,
  closeAll,
  expire,
  login,
  names,
  openAll,
  registerAccounts,
  MESSAGE_TIMEOUT_MS,
  type ClientKind,
  type Conn,
  type Pending,
} from "./xmpp-conns.js";

export type { ClientKind } from "./xmpp-conns.js";

export interface ProsodyServer {
  domain: string;
  port: number;
  pid: number;
  close(): Promise<void>;
}

export interface MessagesResult {
  delivered: number;
  failed: number;
  per_s: number;
  seconds: number;
  latency: LatencySummary;
  prosody: { cpu_s: number; cores: number; rss_mb: number };
  /** This process's CPU over the phase (the client's side; its own event loop is one core at most). */
  client: { cpu_s: number; cores: number };
  /** The first failure, to show (absent when none failed). */
  firstError?: string;
}

export interface IdleResult {
  clients: number;
  rss_before_mb: number;
  rss_after_mb: number;
  kb_per_client: number;
}

const PROSODY = "/usr/bin/prosody";
const DOMAIN = "localhost";
/** Messages each pair sends before timing starts. */
const WARM_UP = 100;

/** What this module keeps about a server it started, beyond the public fields. */
interface Internal {
  child: ChildProcess;
  dir: string;
  /** Whether xmppIdle has run on this server (its figure is only true the first time). */
  idleMeasured: boolean;
  users: number;
}
const internals = new WeakMap<ProsodyServer, Internal>();

/**
 * Starts Prosody on 127.0.0.1 (a free port) with a config in a temp dir, and creates the accounts
 * user1..user<users> by in-band registration (storage is memory, so prosodyctl could not add them
 * to the running daemon).
 */
export async function startProsody(opts: { users: number }): Promise<ProsodyServer> {
  if (!existsSync(PROSODY)) {
    throw new Error(`Prosody is not installed (${PROSODY}): run scripts/provision-bench.sh`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-prosody-"));
  const port = await freePort();
  const config = path.join(dir, "prosody.cfg.lua");
  const log = path.join(dir, "prosody.log");
  mkdirSync(path.join(dir, "data"));
  mkdirSync(path.join(dir, "certs"));
  writeFileSync(config, prosodyConfig(dir, port, log));

  // -F: stay in the foreground (0.12 deprecates the `daemonize` option in favour of -D/-F).
  const child = spawn(PROSODY, ["-F", "--config", config], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const cleanup = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  const removeExitHooks = onExit(cleanup);
  const failed = (why: string) => {
    const logText = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "";
    removeExitHooks();
    cleanup();
    return new Error(`Prosody ${why}\n${output}${logText}`.trim());
  };
  if (child.pid === undefined) throw failed("did not start");

  const deadline = performance.now() + 15_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || child.signalCode !== null) throw failed(`exited (${child.exitCode})`);
    if (performance.now() > deadline) throw failed(`did not listen on 127.0.0.1:${port} within 15 s`);
    await sleep(50);
  }

  let closing: Promise<void> | undefined;
  const server: ProsodyServer = {
    domain: DOMAIN,
    port,
    pid: child.pid,
    close: () => (closing ??= stopChild(child).finally(() => (removeExitHooks(), cleanup()))),
  };
  internals.set(server, { child, dir, idleMeasured: false, users: opts.users });
  try {
    await registerAccounts(server, names("user", 1, opts.users));
  } catch (err) {
    await server.close();
    throw err;
  }
  return server;
}

/**
 * Chat messages between `pairs` pairs of logged-in users (user1→user2, user3→user4, …): each
 * sender keeps `inFlight` messages un-arrived at a time (closed loop), or with `ratePerS` the
 * pairs together send at that total rate (open loop, latency from the scheduled send).
 */
export async function xmppMessages(
  server: ProsodyServer,
  opts: {
    pairs: number;
    messages: number;
    inFlight: number;
    ratePerS?: number;
    maxMs: number;
    client?: ClientKind;
  },
): Promise<MessagesResult> {
  const state = internal(server);
  if (opts.pairs * 2 > state.users) {
    throw new Error(
      `${opts.pairs} pairs need ${opts.pairs * 2} users; Prosody was started with ${state.users}`,
    );
  }
  const pending = new Map<string, Pending>();
  const conns: Conn[] = [];
  try {
    const logins = await openAll(conns, opts.pairs * 2, (i) =>
      login(server, opts.client ?? "lean", `user${i + 1}`, "bench", (body) => arrived(pending, body, i)),
    );
    const pairs = Array.from({ length: opts.pairs }, (_, p) => ({
      from: logins[2 * p]!,
      to: logins[2 * p + 1]!,
    }));
    let nextId = 0;
    /** Sends one message on pair `p`; answers when its receiver has it, with its latency (ms). */
    const send = (p: number) => {
      const { from, to } = pairs[p]!;
      const broken = from.error() ?? to.error();
      if (broken) return Promise.reject(broken);
      const id = `m${nextId++}`;
      const t0 = performance.now();
      const arrival = new Promise<number>((resolve, reject) =>
        pending.set(id, { resolve, reject, deadline: t0 + MESSAGE_TIMEOUT_MS, receiver: 2 * p + 1 }),
      );
      from.message(to.jid, id);
      return arrival.then((at) => at - t0);
    };

    const sweeper = setInterval(() => expire(pending), 200);
    // Untimed first: a few messages per pair so that neither side is measured cold (JIT, caches).
    await closedLoops(opts.pairs, opts.inFlight, { count: WARM_UP, maxMs: opts.maxMs }, send);
    const watch = watchProcess(server.pid);
    const clientCpu = process.cpuUsage();
    const started = performance.now();
    let load: LoadResult;
    try {
      if (opts.ratePerS !== undefined) {
        const total = opts.pairs * opts.messages;
        load = await openLoop(opts.ratePerS, { count: total, maxMs: opts.maxMs }, async (i) => {
          // Resolving without a figure: openLoop counts latency from the scheduled send.
          await send(i % opts.pairs);
        });
      } else {
        load = await closedLoops(
          opts.pairs,
          opts.inFlight,
          { count: opts.messages, maxMs: opts.maxMs },
          send,
        );
      }
    } finally {
      clearInterval(sweeper);
    }
    const use = watch.stop();
    const wall = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(clientCpu);
    return {
      delivered: load.done,
      failed: load.failed,
      per_s: load.per_s,
      seconds: load.seconds,
      latency: load.latency.summary(),
      prosody: { cpu_s: use.cpu_s, cores: use.cores, rss_mb: use.rss_mb },
      client: { cpu_s: round((user + system) / 1e6), cores: round((user + system) / 1e6 / wall) },
      ...(load.firstError && { firstError: load.firstError }),
    };
  } finally {
    for (const p of pending.values()) p.reject(new Error("connections closed"));
    pending.clear();
    await closeAll(conns);
  }
}

/**
 * Prosody's memory per idle connection: opens `clients` logged-in connections (each its own
 * account, idle1…, registered beforehand so accounts do not count; each sends initial presence),
 * waits for Prosody's RSS to settle, and divides the growth by the count. Once per server: the
 * memory those connections held stays in Prosody's RSS after they close (the allocator keeps it)
 * and would hide the next ones, so a second call throws (see above for earlier load). Prosody
 * 0.12 (epoll) sets no connection
 * limit of its own; the file descriptor limits of both processes are checked.
 */
export async function xmppIdle(
  server: ProsodyServer,
  opts: { clients: number; client?: ClientKind },
): Promise<IdleResult> {
  const state = internal(server);
  if (state.idleMeasured) {
    throw new Error(
      "xmppIdle has run on this Prosody already: the memory its connections held is still in the RSS;" +
        " measure on a fresh startProsody()",
    );
  }
  state.idleMeasured = true;
  for (const [who, pid] of [
    ["this process", process.pid],
    ["Prosody", server.pid],
  ] as const) {
    // Each connection takes a descriptor on either side, besides what both hold already.
    const need = opts.clients + openFiles(pid) + 50;
    const limit = openFilesLimit(pid);
    if (limit < need) {
      throw new Error(
        `${opts.clients} idle clients need about ${need} file descriptors in ${who}, which may open ${limit}` +
          ` (ulimit -n): raise the limit in the shell that starts the benchmark`,
      );
    }
  }
  await registerAccounts(server, names("idle", 1, opts.clients));
  const before = await settledRss(server.pid);
  const conns: Conn[] = [];
  try {
    await openAll(conns, opts.clients, (i) => login(server, opts.client ?? "lean", `idle${i + 1}`, "idle"));
    const after = await settledRss(server.pid);
    return {
      clients: opts.clients,
      rss_before_mb: round(before / 2 ** 20, 1),
      rss_after_mb: round(after / 2 ** 20, 1),
      kb_per_client: round((after - before) / 1024 / opts.clients, 1),
    };
  } finally {
    await closeAll(conns);
  }
}

/**
 * `pairs` closed loops side by side, each with `inFlight` operations at a time (`op(pair)`, which
 * answers its latency), run together and counted as one.
 */
async function closedLoops(
  pairs: number,
  inFlight: number,
  limits: { count: number; maxMs: number },
  op: (pair: number) => Promise<number>,
): Promise<LoadResult> {
  const latency = new Latencies();
  const started = performance.now();
  const each = await Promise.all(
    Array.from({ length: pairs }, (_, p) =>
      closedLoop(inFlight, limits, async () => {
        const ms = await op(p);
        latency.add(ms);
        return ms;
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const firstError = each.find((r) => r.firstError)?.firstError;
  return {
    done: latency.count,
    failed: each.reduce((n, r) => n + r.failed, 0),
    seconds: round(seconds),
    per_s: Math.round(latency.count / seconds),
    latency,
    ...(firstError && { firstError }),
  };
}

// --- Prosody ---------------------------------------------------------------------------------

/** Prosody's modules (besides those it always loads: c2s, presence, message, iq, offline, posix). */
export const MODULES: readonly string[] = [
  "disco",
  "roster",
  "saslauth",
  "blocklist",
  "bookmarks",
  "carbons",
  "pep",
  "private",
  "smacks",
  "vcard4",
  "vcard_legacy",
  "csi_simple",
  "ping",
  "register",
  "time",
  "uptime",
  "version",
  "admin_adhoc",
];

/** Prosody's config: everything in `dir`, c2s on 127.0.0.1:`port` only, warnings to `log`. */
function prosodyConfig(dir: string, port: number, log: string): string {
  const q = (s: string) => JSON.stringify(s);
  return `-- Written by bench/reference/prosody.ts for one benchmark run.
-- The benchmarks may run as root; Prosody refuses that unless told.
run_as_root = true
pidfile = ${q(path.join(dir, "prosody.pid"))}
data_path = ${q(path.join(dir, "data"))}
certificates = ${q(path.join(dir, "certs"))}
log = { warn = ${q(log)} }

network_settings = { nagle = false }
interfaces = { "127.0.0.1" }
c2s_interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }

-- Debian's default module list (/etc/prosody/prosody.cfg.lua) without mod_limits (the issue's
-- reference: no rate limits), TLS and dialback (no TLS, no s2s here), the invites modules (they
-- make registration invite-only) and admin_shell (a control socket); posix is loaded anyway.
-- The clients enable neither stream management (smacks) nor carbons.
modules_enabled = {
${MODULES.map((m) => `  ${q(m)};`).join("\n")}
}
modules_disabled = { "s2s"; "s2s_auth_certs"; "limits"; "tls" }

storage = "memory"
authentication = "internal_plain"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true

-- In-band registration creates the benchmark's accounts (memory storage: prosodyctl could not).
-- mod_register_limits only throttles addresses outside its allowlist: loopback is on it.
allow_registration = true
registration_allowlist = { "127.0.0.1"; "::1" }

VirtualHost ${q(DOMAIN)}
`;
}

function internal(server: ProsodyServer): Internal {
  const state = internals.get(server);
  if (!state) throw new Error("not a server from startProsody()");
  if (state.child.exitCode !== null || state.child.signalCode !== null) throw new Error("Prosody has exited");
  return state;
}
