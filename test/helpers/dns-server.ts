/**
 * Test helper: a real authoritative DNS server — Knot DNS (`knotd`, Debian's package `knot`) —
 * on 127.0.0.1 with a free port, serving the zones a test gives it and changing them at run time.
 *
 * Why Knot: it is authoritative (SOA/NS, NXDOMAIN vs NODATA, REFUSED for zones it does not
 * serve, exactly as a real registry answers) and applies record changes atomically through its
 * control socket (`knotc zone-begin / zone-set / zone-commit`) and new zones through
 * `knotc reload`, without a restart. dnsmasq would cache and synthesize answers instead.
 *
 * Each instance has its own temp folder (config, zone files, databases, pid file, control
 * socket) and port, never touches the system's knot service, and is removed by `close()`.
 * Every change is waited for on the wire: the call returns once the zone's new SOA serial
 * is served. Instances left open are killed when the process exits.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { Resolver } from "node:dns/promises";
import { existsSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export type RecordType = "A" | "AAAA" | "TXT" | "NS" | "SOA" | "MX" | "SRV" | "CNAME";

/** Values in presentation format; names inside them (targets) are absolute, the final dot optional. */
export type RecordSetInput = string[] | { values: string[]; ttl?: number };

/**
 * One zone's records: owner name → type → values. An owner is `@` (the apex), a name relative
 * to the origin (`www`), or absolute (ending with a dot, or with the origin: `www.example.test`).
 * TXT values are the plain text (quoted and split into 255-byte strings here). A zone without
 * SOA or NS gets defaults (`ns.fixture.invalid.`, negative TTL 1 s).
 *
 * @example { "@": { NS: ["ns1.example.test"] }, _callsign: { TXT: ["v=1"] }, www: { A: ["127.0.0.1"] } }
 */
export type ZoneRecords = Record<string, Partial<Record<RecordType, RecordSetInput>>>;

export interface DnsServerOptions {
  /** TTL in seconds of records given without one. Default 1. */
  ttl?: number;
}

export interface DnsFixture {
  host: "127.0.0.1";
  port: number;
  /** `["127.0.0.1:<port>"]`, the form of `config.dnsServers`. */
  servers: string[];
  /** Replaces the record set (`name`, `type`) with `values` (none: removes it) and waits until it is served. */
  set(name: string, type: RecordType, values: string[], ttl?: number): Promise<void>;
  /** Removes the record set (`name`, `type`), if any, and waits until that is served. */
  remove(name: string, type: RecordType): Promise<void>;
  /** Starts serving a new zone and waits until it answers. */
  addZone(origin: string, records?: ZoneRecords): Promise<void>;
  /** Stops serving a zone (queries then get REFUSED) and waits until it is gone. */
  removeZone(origin: string): Promise<void>;
  /**
   * Freezes the server (SIGSTOP): it keeps its port but answers nothing, so lookups time out.
   * Resolves once the kernel reports the process stopped (a signal lands asynchronously).
   */
  pause(): Promise<void>;
  /** Undoes `pause()`. */
  resume(): void;
  /** Kills the server and removes its folder. Safe to call twice. */
  close(): Promise<void>;
}

const APT_HINT = "install Debian's package 'knot' (apt-get install -y knot, or run scripts/provision.sh)";
const START_TIMEOUT_MS = 10_000;
const CHANGE_TIMEOUT_MS = 5_000;
const DEFAULT_SOA = "ns.fixture.invalid. hostmaster.fixture.invalid. 1 60 60 3600 1";
const DEFAULT_NS = "ns.fixture.invalid.";

interface RecordSet {
  ttl: number;
  /** RDATA as knot reads it. */
  rdata: string[];
}
/** origin → owner → type → record set; all names absolute, lower case, with the final dot. */
type Model = Map<string, Map<string, Map<RecordType, RecordSet>>>;

/** Running knotd processes → their folders, for what a test forgot to close. */
const live = new Map<ChildProcess, string>();
const portsInUse = new Set<number>();
process.once("exit", () => {
  for (const [child, dir] of live) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Starts Knot DNS serving `zones` (origin → records) on 127.0.0.1.
 *
 * @example
 * const dns = await startDnsServer({ "example.test.": { _callsign: { TXT: ["v=1"] } } });
 * const client = createDnsClient(dns.servers);
 * await dns.set("_callsign.example.test", "TXT", ["v=2"]);
 * await dns.close();
 */
export async function startDnsServer(
  zones: Record<string, ZoneRecords> = {},
  opts: DnsServerOptions = {},
): Promise<DnsFixture> {
  const knotd = findBinary("knotd");
  const knotc = findBinary("knotc");
  const defaultTtl = opts.ttl ?? 1;

  const dir = await mkdtemp(path.join(tmpdir(), "callsign-dns-"));
  const socketPath = path.join(dir, "knot.sock");
  const model: Model = new Map();
  try {
    for (const [origin, records] of Object.entries(zones)) {
      const o = absolute(origin);
      model.set(o, buildZone(o, records, defaultTtl));
      await writeZoneFile(dir, o, model.get(o)!);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  let started: { child: ChildProcess; port: number };
  try {
    started = await launch(knotd, dir, [...model.keys()]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const { child: running, port } = started;
  const resolver = newResolver(port);
  const control = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(knotc, ["-s", socketPath, "-t", "5", ...args], (error, stdout, stderr) => {
        if (error)
          reject(new Error(`knotc ${args.join(" ")}: ${(stderr || stdout).trim() || error.message}`));
        else resolve(stdout);
      });
    });

  // One change at a time: knot has one transaction per zone, and reload touches them all.
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new Error("the DNS fixture is closed");
  };

  /** Applies one record-set change in a knot transaction and waits for the new serial on the wire. */
  async function change(name: string, type: RecordType, next: RecordSet | undefined): Promise<void> {
    const owner = absolute(name);
    const origin = zoneOf(model, owner);
    if (!origin)
      throw new Error(`${owner} is in no zone this server serves (${[...model.keys()].join(", ")})`);
    const owners = model.get(origin)!;
    const current = owners.get(owner)?.get(type);
    if (!current && !next) return;
    if (type === "SOA" && (owner !== origin || !next))
      throw new Error("SOA can only be replaced, at the apex");

    await control("zone-begin", origin);
    try {
      // SOA is a singleton that zone-set replaces; every other set is cleared first.
      if (current && type !== "SOA") await control("zone-unset", origin, owner, type);
      for (const rdata of next?.rdata ?? [])
        await control("zone-set", origin, owner, String(next!.ttl), type, rdata);
      await control("zone-commit", origin);
    } catch (error) {
      await control("zone-abort", origin).catch(() => undefined);
      throw error;
    }
    if (next) {
      if (!owners.has(owner)) owners.set(owner, new Map());
      owners.get(owner)!.set(type, next);
    } else {
      owners.get(owner)?.delete(type);
      if (owners.get(owner)?.size === 0) owners.delete(owner);
    }
    const status = await control("zone-status", origin);
    const serial = Number(/serial: (\d+)/.exec(status)?.[1]);
    await waitFor(
      `serial ${serial} of ${origin}`,
      async () => ((await soaSerial(resolver, origin)) ?? -1) >= serial,
    );
  }

  return {
    host: "127.0.0.1",
    port,
    servers: [`127.0.0.1:${port}`],

    set(name, type, values, ttl) {
      assertOpen();
      const next =
        values.length > 0
          ? { ttl: ttl ?? defaultTtl, rdata: values.map((v) => rdataOf(type, v)) }
          : undefined;
      return serialize(() => change(name, type, next));
    },

    remove(name, type) {
      assertOpen();
      return serialize(() => change(name, type, undefined));
    },

    addZone(origin, records = {}) {
      assertOpen();
      const o = absolute(origin);
      const zone = buildZone(o, records, defaultTtl);
      return serialize(async () => {
        if (model.has(o)) throw new Error(`zone ${o} is already served`);
        await writeZoneFile(dir, o, zone);
        model.set(o, zone);
        try {
          await writeConfig(dir, port, [...model.keys()]);
          await control("reload");
        } catch (error) {
          model.delete(o);
          throw error;
        }
        await waitFor(`zone ${o}`, () => allServed(resolver, [o]));
      });
    },

    removeZone(origin) {
      assertOpen();
      const o = absolute(origin);
      return serialize(async () => {
        if (!model.has(o)) throw new Error(`zone ${o} is not served`);
        model.delete(o);
        await writeConfig(dir, port, [...model.keys()]);
        await control("reload");
        await waitFor(`removal of ${o}`, async () => {
          try {
            await resolver.resolveSoa(o);
            return false;
          } catch (error) {
            return (error as { code?: string }).code === "EREFUSED";
          }
        });
        await rm(path.join(dir, "zones", `${o}zone`), { force: true });
      });
    },

    async pause() {
      assertOpen();
      running.kill("SIGSTOP");
      // State "T" in /proc/<pid>/stat: stopped. Until then a query could still be answered.
      for (let i = 0; i < 200; i++) {
        const stat = await readFile(`/proc/${running.pid}/stat`, "utf8").catch(() => "");
        if (/\) T /.test(stat)) return;
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error("knotd did not stop");
    },

    resume() {
      assertOpen();
      running.kill("SIGCONT");
    },

    async close() {
      if (closed) return;
      closed = true;
      await queue;
      if (running.exitCode === null && running.signalCode === null) {
        const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
        running.kill("SIGCONT");
        running.kill("SIGTERM");
        const killer = setTimeout(() => running.kill("SIGKILL"), 2000);
        await exited;
        clearTimeout(killer);
      }
      live.delete(running);
      portsInUse.delete(port);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts knotd on a free port, retrying when another process takes the port first. */
async function launch(
  knotd: string,
  dir: string,
  origins: string[],
): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    await writeConfig(dir, port, origins);
    let log: string[] = [];
    const child = spawn(knotd, ["-c", path.join(dir, "knot.conf")], { stdio: ["ignore", "ignore", "pipe"] });
    portsInUse.add(port);
    live.set(child, dir);
    child.once("exit", () => live.delete(child));
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      log.push(...chunk.split("\n").filter(Boolean));
      if (log.length > 100) log = log.slice(-100);
    });
    // A fixture a test forgot to close must not keep mocha alive (the exit hook kills it).
    child.unref();
    (child.stderr as unknown as { unref(): void }).unref();

    const resolver = newResolver(port);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        portsInUse.delete(port);
        // Another process took the port between our probe and knotd's bind: try another one.
        if (attempt < 5 && log.some((l) => l.includes("address already in use"))) break;
        throw new Error(`knotd exited while starting:\n${log.join("\n")}`);
      }
      if (await allServed(resolver, origins)) return { child, port };
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        portsInUse.delete(port);
        throw new Error(
          `knotd did not answer on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms:\n${log.join("\n")}`,
        );
      }
      await sleep(5);
    }
  }
}

function findBinary(name: string): string {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  for (const d of dirs) {
    if (d && existsSync(path.join(d, name))) return path.join(d, name);
  }
  throw new Error(`${name} (Knot DNS) not found: ${APT_HINT}`);
}

function newResolver(port: number): Resolver {
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  return resolver;
}

async function soaSerial(resolver: Resolver, origin: string): Promise<number | undefined> {
  try {
    return (await resolver.resolveSoa(origin)).serial;
  } catch {
    return undefined;
  }
}

/** Whether every zone answers its SOA; with no zone, whether the server answers at all. */
async function allServed(resolver: Resolver, origins: string[]): Promise<boolean> {
  if (origins.length === 0) {
    try {
      await resolver.resolveSoa("fixture.invalid.");
      return true;
    } catch (error) {
      return (error as { code?: string }).code === "EREFUSED";
    }
  }
  const serials = await Promise.all(origins.map((o) => soaSerial(resolver, o)));
  return serials.every((s) => s !== undefined);
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + CHANGE_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`knotd: ${what} not served after ${CHANGE_TIMEOUT_MS} ms`);
    await sleep(5);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port free for both UDP and TCP on 127.0.0.1 (knotd needs both), not used by this process's fixtures. */
async function freePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    if (portsInUse.has(port)) continue;
    if ((await canBind("udp", port)) && (await canBind("tcp", port))) return port;
  }
  throw new Error("no free UDP+TCP port found on 127.0.0.1");
}

function canBind(kind: "udp" | "tcp", port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (kind === "udp") {
      const socket = createSocket("udp4");
      socket.once("error", () => resolve(false));
      socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
    } else {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    }
  });
}

async function writeConfig(dir: string, port: number, origins: string[]): Promise<void> {
  const q = (s: string) => JSON.stringify(s);
  const conf = [
    "server:",
    `    rundir: ${q(dir)}`,
    `    pidfile: ${q(path.join(dir, "knot.pid"))}`,
    `    listen: 127.0.0.1@${port}`,
    "    udp-workers: 1",
    "    tcp-workers: 1",
    "    background-workers: 1",
    "control:",
    `    listen: ${q(path.join(dir, "knot.sock"))}`,
    "database:",
    `    storage: ${q(path.join(dir, "db"))}`,
    "log:",
    "  - target: stderr",
    "    any: warning",
    "template:",
    "  - id: default",
    `    storage: ${q(path.join(dir, "zones"))}`,
    '    file: "%s.zone"',
    // The zone lives in memory: changes are never written back, nor kept in a journal.
    "    zonefile-sync: -1",
    "    zonefile-load: whole",
    "    journal-content: none",
    "    semantic-checks: off",
    origins.length > 0 ? "zone:" : "",
    ...origins.map((o) => `  - domain: ${q(o)}`),
    "",
  ].join("\n");
  // Written whole and renamed, so a reload never reads half a file.
  await writeFile(path.join(dir, "knot.conf.new"), conf);
  await rename(path.join(dir, "knot.conf.new"), path.join(dir, "knot.conf"));
}

async function writeZoneFile(dir: string, origin: string, owners: Map<string, Map<RecordType, RecordSet>>) {
  await mkdir(path.join(dir, "zones"), { recursive: true });
  const soa = owners.get(origin)!.get("SOA")!;
  // The SOA comes first, as zone files want it.
  const lines = [`$ORIGIN ${origin}`, `${origin} ${soa.ttl} IN SOA ${soa.rdata[0]}`];
  for (const [owner, sets] of owners) {
    for (const [type, set] of sets) {
      if (owner === origin && type === "SOA") continue;
      for (const rdata of set.rdata) lines.push(`${owner} ${set.ttl} IN ${type} ${rdata}`);
    }
  }
  // knot names the file after the origin without its final dot: "%s.zone".
  await writeFile(path.join(dir, "zones", `${origin}zone`), lines.join("\n") + "\n");
}

function buildZone(
  origin: string,
  records: ZoneRecords,
  defaultTtl: number,
): Map<string, Map<RecordType, RecordSet>> {
  const owners = new Map<string, Map<RecordType, RecordSet>>();
  for (const [name, sets] of Object.entries(records)) {
    const owner = ownerIn(origin, name);
    if (owner !== origin && !owner.endsWith(`.${origin}`))
      throw new Error(`${owner} is not inside ${origin}`);
    for (const [type, input] of Object.entries(sets) as [RecordType, RecordSetInput][]) {
      const values = Array.isArray(input) ? input : input.values;
      const ttl = Array.isArray(input) ? defaultTtl : (input.ttl ?? defaultTtl);
      if (values.length === 0) continue;
      if (!owners.has(owner)) owners.set(owner, new Map());
      owners.get(owner)!.set(type, { ttl, rdata: values.map((v) => rdataOf(type, v)) });
    }
  }
  if (!owners.has(origin)) owners.set(origin, new Map());
  const apex = owners.get(origin)!;
  if (!apex.has("SOA")) apex.set("SOA", { ttl: defaultTtl, rdata: [rdataOf("SOA", DEFAULT_SOA)] });
  if (!apex.has("NS")) apex.set("NS", { ttl: defaultTtl, rdata: [DEFAULT_NS] });
  return owners;
}

/** `name` made absolute, lower case, with the final dot. */
function absolute(name: string): string {
  const n = name.trim().toLowerCase();
  if (!n || n === ".") throw new Error(`not a DNS name: ${JSON.stringify(name)}`);
  return n.endsWith(".") ? n : `${n}.`;
}

/** An owner in a zone's records: `@`, relative to the origin, or absolute. */
function ownerIn(origin: string, name: string): string {
  const n = name.trim().toLowerCase();
  if (n === "@") return origin;
  if (n.endsWith(".")) return n;
  const bare = origin.slice(0, -1);
  if (n === bare || n.endsWith(`.${bare}`)) return `${n}.`;
  return `${n}.${origin}`;
}

/** The longest served origin `owner` is in. */
function zoneOf(model: Map<string, unknown>, owner: string): string | undefined {
  let best: string | undefined;
  for (const origin of model.keys()) {
    const inside = owner === origin || owner.endsWith(`.${origin}`);
    if (inside && (!best || origin.length > best.length)) best = origin;
  }
  return best;
}

/** A value in knot's presentation format: TXT quoted and split, target names made absolute. */
function rdataOf(type: RecordType, value: string): string {
  const fields = value.trim().split(/\s+/);
  switch (type) {
    case "TXT":
      return txtStrings(value);
    case "NS":
    case "CNAME":
      return absolute(value);
    case "MX":
      return `${fields[0]} ${absolute(fields[1] ?? "")}`;
    case "SRV":
      return `${fields.slice(0, 3).join(" ")} ${absolute(fields[3] ?? "")}`;
    case "SOA":
      return [absolute(fields[0] ?? ""), absolute(fields[1] ?? ""), ...fields.slice(2)].join(" ");
    default:
      return value.trim();
  }
}

/** TXT text as quoted character-strings of at most 255 bytes, with `"`, `\` and non-ASCII escaped. */
function txtStrings(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const parts: string[] = [];
  for (let i = 0; i === 0 || i < bytes.length; i += 255) {
    let s = "";
    for (const b of bytes.subarray(i, i + 255)) {
      if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
      else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
      else s += `\\${String(b).padStart(3, "0")}`;
    }
    parts.push(`"${s}"`);
  }
  return parts.join(" ");
}
