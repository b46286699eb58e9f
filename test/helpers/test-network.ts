/**
 * TestNetwork: real homeservers for integration tests, started through the production entry
 * point (`startHomeserver(loadConfig(env))` in this process, or `server/src/main.ts` spawned as
 * a child process), each network with its own PostgreSQL database and Redis prefix so suites
 * never see each other's data. `idle()` waits until background jobs are drained.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { loadConfig } from "../../server/src/config/config.js";
import { startHomeserver, type Homeserver } from "../../server/src/homeserver.js";
import { startDnsServer, type DnsFixture } from "./dns-server.js";

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface TestNetworkOptions {
  /** Homeserver processes sharing one database and Redis (default 1). */
  processes?: number;
  /** `production`: PostgreSQL + Redis (default). `embedded`: PGlite + in-process jobs. */
  mode?: "production" | "embedded";
  /** Spawn `server/src/main.ts` as child processes instead of starting in this process. */
  spawn?: boolean;
  /** Extra settings (environment variable names) for every server. */
  env?: Record<string, string>;
  serverName?: string;
  /** A DNS server shared with other networks (providers of one test federation); closed by its owner. */
  dns?: DnsFixture;
}

export interface TestServer {
  baseUrl: string;
  serverName: string;
  /** Present for in-process servers. */
  homeserver?: Homeserver;
  /** Present for spawned servers. */
  child?: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The zones the network's DNS server serves from the start: the TLDs brand detection asks
 * about (so an unknown `<name>.com` is a definite NXDOMAIN, never a lookup failure) and
 * `example.test`. Tests add records or zones (`net.dns.set`, `net.dns.addZone`) to make brands.
 */
export const TEST_TLDS = ["com", "net", "org", "io", "ru", "br", "pt"];

export class TestNetwork {
  readonly servers: TestServer[] = [];
  private constructor(
    readonly env: Record<string, string>,
    readonly opts: TestNetworkOptions,
    /** The real DNS server (Knot) on loopback that the homeservers resolve names with. */
    readonly dns: DnsFixture,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(opts: TestNetworkOptions = {}): Promise<TestNetwork> {
    const id = randomBytes(5).toString("hex");
    const dns =
      opts.dns ??
      (await startDnsServer(Object.fromEntries([...TEST_TLDS, "example.test"].map((z) => [`${z}.`, {}]))));
    const serverName = opts.serverName ?? "localhost";
    const env: Record<string, string> = {
      CALLSIGN_SERVER_NAME: serverName,
      CALLSIGN_LISTEN_HOST: "127.0.0.1",
      CALLSIGN_LISTEN_PORT: "0",
      CALLSIGN_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
      CALLSIGN_PASSWORD_COST: "10",
      CALLSIGN_RATE_LIMIT_PER_S: "100000",
      CALLSIGN_RATE_LIMIT_BURST: "100000",
      CALLSIGN_AUTH_RATE_PER_MIN: "100000",
      CALLSIGN_SECRET: randomBytes(32).toString("hex"),
      CALLSIGN_REDIS_PREFIX: `cstest-${id}`,
      CALLSIGN_DNS_SERVERS: dns.servers.join(","),
      CALLSIGN_BRAND_TLDS: TEST_TLDS.join(","),
      ...opts.env,
    };
    let cleanup: () => Promise<void>;
    if ((opts.mode ?? "production") === "production") {
      const dbName = `callsign_test_${id}`;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
      env.DATABASE_URL = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
      env.REDIS_URL = REDIS_URL;
      cleanup = async () => {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await untilDisconnected(c, dbName);
        await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await c.end();
        await deleteRedisPrefix(env.CALLSIGN_REDIS_PREFIX!);
      };
    } else {
      const dir = await mkdtemp(path.join(tmpdir(), "callsign-test-"));
      env.CALLSIGN_DATA_DIR = dir;
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    const cleanupAll = async () => {
      await cleanup();
      if (!opts.dns) await dns.close();
    };
    const network = new TestNetwork(env, opts, dns, cleanupAll);
    try {
      for (let i = 0; i < (opts.processes ?? 1); i++) await network.addServer();
    } catch (err) {
      await network.close();
      throw err;
    }
    return network;
  }

  /** The newest server's URL (after a restart, the one that runs). */
  get baseUrl(): string {
    return this.servers[this.servers.length - 1]!.baseUrl;
  }

  /** Starts one more homeserver process on the network's database and Redis. */
  async addServer(extraEnv: Record<string, string> = {}): Promise<TestServer> {
    const env = { ...this.env, ...extraEnv };
    const server = this.opts.spawn ? await spawnServer(env) : await inProcessServer(env);
    this.servers.push(server);
    return server;
  }

  private pool: pg.Pool | undefined;

  /** Runs SQL on the network's database (tests read what the server stored). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.pool ??= new pg.Pool({ connectionString: this.env.DATABASE_URL, max: 2 });
    return (await this.pool.query(sql, params)).rows as T[];
  }

  /** Waits until every in-process server's jobs are drained. */
  async idle(timeoutMs = 10_000): Promise<void> {
    await Promise.all(this.servers.map((s) => s.homeserver?.ctx.jobs.idle(timeoutMs)));
  }

  async close(): Promise<void> {
    const stopped = await Promise.allSettled(this.servers.map((s) => s.stop()));
    for (const s of stopped) {
      // The database is dropped next whatever happened; say why a server did not stop cleanly.
      if (s.status === "rejected") console.error("a test homeserver did not close cleanly:", s.reason);
    }
    await this.pool?.end();
    await this.cleanup();
  }
}

export const startTestNetwork = (opts?: TestNetworkOptions) => TestNetwork.start(opts);

async function inProcessServer(env: Record<string, string>): Promise<TestServer> {
  const homeserver = await startHomeserver(loadConfig(env));
  return {
    baseUrl: homeserver.url,
    serverName: env.CALLSIGN_SERVER_NAME!,
    homeserver,
    stop: () => homeserver.close(),
  };
}

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/** Spawns `server/src/main.ts` exactly as production runs it and waits for its URL line. */
export async function spawnServer(env: Record<string, string>): Promise<TestServer> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "server/src/main.ts")], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Callsign is running at (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners("exit");
  return {
    baseUrl,
    serverName: env.CALLSIGN_SERVER_NAME!,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/**
 * Waits (up to 5 s) until nothing is connected to `dbName` any more: a connection still closing
 * must not be cut by the DROP (its client would report the cut as an uncaught error). One that
 * stays is named on stderr — something did not close its pool — and is cut all the same.
 */
async function untilDisconnected(admin: pg.Client, dbName: string): Promise<void> {
  const sessions = async () =>
    (
      await admin.query(
        `SELECT pid, application_name, state, left(query, 120) AS query FROM pg_stat_activity WHERE datname = $1`,
        [dbName],
      )
    ).rows;
  for (const end = Date.now() + 5000; Date.now() < end;) {
    if ((await sessions()).length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  console.error(`connections to ${dbName} still open when the test network closed:`, await sessions());
}
