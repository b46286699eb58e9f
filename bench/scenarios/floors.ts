/**
 * The floors: what this machine does with nothing of Callsign in the way, printed beside every
 * scenario so its figures can be read against the hardware they ran on. Bare node:http and
 * express 5 at 50 keep-alive connections, the bare "place a call" pipeline (express POST → one
 * PostgreSQL insert → one delayed BullMQ job → 202) at its maximum and at a fixed 1,000/s,
 * PostgreSQL single-row inserts at 16 clients, BullMQ add + process in one process, and
 * Ed25519 sign/verify on one core.
 *
 * The HTTP load client runs in a worker thread (floors-http.ts). Everything is bounded in count and in time, and everything
 * made is removed after: servers closed, the scratch table dropped, the Redis keys (a prefix
 * unique to the run) deleted, pools and connections closed, so the process exits by itself.
 */
import { generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { Queue, Worker } from "bullmq";
import express from "express";
import { Redis } from "ioredis";
import pg from "pg";
import { closedLoop } from "../lib/load.js";
import type { Row } from "../lib/report.js";
import {
  checked,
  closedJob,
  drive,
  expressGetApp,
  expressPostApp,
  httpFloor,
  listen,
  plainServer,
  POST_CALL,
  MAX_RATE,
  type Durations,
  type Listening,
} from "./floors-http.js";

export interface Floors {
  /** Bare node:http, trivial GET, 50 keep-alive connections, closed loop. */
  http_rps: number;
  /** Express 5, trivial GET, same load. */
  express_get_rps: number;
  /** Express 5, small JSON POST (express.json()), same load. */
  express_post_rps: number;
  /** Express POST → one PostgreSQL insert → one delayed BullMQ add → 202; max at 50 connections. */
  pipeline_rps: number;
  /** The same pipeline at a fixed rate (open loop); latency counts from the scheduled start. */
  pipeline_fixed: { rate: number; p50_ms: number; p99_ms: number; max_ms: number };
  /** Single-row INSERTs from node-pg, a pool of 16 and 16 in flight. */
  pg_insert_per_s: number;
  /** BullMQ jobs processed per second, a Queue adding (50 in flight) and a Worker (50) in one process. */
  bullmq_per_s: number;
  /** node:crypto Ed25519 signs per second, one core. */
  ed25519_sign_per_s: number;
  ed25519_verify_per_s: number;
}

/** Where the scratch table and the Redis keys go (the local services the benchmarks use). */
const PG_URL = "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = "redis://127.0.0.1:6379";

/** The pipeline's fixed rate (per second). */
const FIXED_RATE = 1000;
/** The ring time-out the pipeline's delayed job stands for. */
const RING_TIMEOUT_MS = 30_000;

const SHORT: Durations = { warmupMs: 300, measureMs: 1500, fixedMs: 2000, cryptoMs: 1000 };
const FULL: Durations = { warmupMs: 1000, measureMs: 8000, fixedMs: 10_000, cryptoMs: 5000 };

/** Measures the floors; `full` runs each longer (short: ~1-2 s each; full: ~5-10 s each). */
export async function measureFloors(full: boolean): Promise<Floors> {
  const d = full ? FULL : SHORT;
  const http_rps = await httpFloor(d, plainServer(), { method: "GET", path: "/" });
  const express_get_rps = await httpFloor(d, expressGetApp(), { method: "GET", path: "/" });
  const express_post_rps = await httpFloor(d, expressPostApp(), POST_CALL);
  const pipeline = await pipelineFloor(d);
  const pg_insert_per_s = await pgInsertFloor(d);
  const bullmq_per_s = await bullmqFloor(d);
  const ed = ed25519Floor(d);
  return {
    http_rps,
    express_get_rps,
    express_post_rps,
    pipeline_rps: pipeline.rps,
    pipeline_fixed: pipeline.fixed,
    pg_insert_per_s,
    bullmq_per_s,
    ed25519_sign_per_s: ed.sign,
    ed25519_verify_per_s: ed.verify,
  };
}

/** The floors as report rows (metric names with units), for the runner to print with every scenario. */
export function floorRows(f: Floors): Row[] {
  const fixed = `floor: pipeline at ${f.pipeline_fixed.rate}/s`;
  return [
    { case: "floor: node:http GET, 50 conns", metric: "req/s", value: f.http_rps },
    { case: "floor: express GET, 50 conns", metric: "req/s", value: f.express_get_rps },
    { case: "floor: express JSON POST, 50 conns", metric: "req/s", value: f.express_post_rps },
    { case: "floor: pipeline POST→pg→BullMQ, 50 conns", metric: "req/s", value: f.pipeline_rps },
    { case: fixed, metric: "p50 ms", value: f.pipeline_fixed.p50_ms },
    { case: fixed, metric: "p99 ms", value: f.pipeline_fixed.p99_ms },
    { case: fixed, metric: "max ms", value: f.pipeline_fixed.max_ms },
    { case: "floor: pg INSERT, 16 clients", metric: "inserts/s", value: f.pg_insert_per_s },
    { case: "floor: BullMQ add+process, 1 process", metric: "jobs/s", value: f.bullmq_per_s },
    { case: "floor: Ed25519 sign, 1 core", metric: "signs/s", value: f.ed25519_sign_per_s },
    { case: "floor: Ed25519 verify, 1 core", metric: "verifies/s", value: f.ed25519_verify_per_s },
  ];
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL and BullMQ

/** A scratch name, unique to the run: the table's, and the Redis key prefix. */
const scratchName = () => `bench_floor_${randomBytes(6).toString("hex")}`;

/** A scratch table of calls in database `test`, and a pool on it; `drop()` ends both. */
async function scratchTable(
  max: number,
): Promise<{ pool: pg.Pool; table: string; drop: () => Promise<void> }> {
  const table = scratchName();
  const pool = new pg.Pool({ connectionString: PG_URL, max });
  pool.on("error", () => {}); // An idle client's error; queries report their own.
  try {
    await pool.query(
      `CREATE TABLE ${table} (id bigserial PRIMARY KEY, caller text NOT NULL, callee text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now())`,
    );
  } catch (err) {
    await pool.end();
    throw err;
  }
  const drop = async () => {
    try {
      await pool.query(`DROP TABLE IF EXISTS ${table}`);
    } finally {
      await pool.end();
    }
  };
  return { pool, table, drop };
}

/** Removes the queues' Redis keys: obliterates each, then deletes anything left under `prefix`. */
async function removeQueues(prefix: string, queues: Queue[]): Promise<void> {
  for (const q of queues) {
    try {
      await q.obliterate({ force: true });
    } finally {
      await q.close();
    }
  }
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/**
 * The bare "place a call" pipeline: express POST → one INSERT (a pg pool of 16) → one BullMQ
 * add of a job delayed by the ring time-out → 202. Measured at its maximum (50 connections,
 * closed loop), then at a fixed 1,000/s (open loop).
 */
async function pipelineFloor(d: Durations): Promise<{ rps: number; fixed: Floors["pipeline_fixed"] }> {
  const prefix = scratchName();
  const { pool, table, drop } = await scratchTable(16);
  const queue = new Queue("ring", { connection: { url: REDIS_URL }, prefix });
  queue.on("error", () => {}); // Adds report their own errors.
  const app = express();
  app.use(express.json());
  app.post("/calls", async (req, res) => {
    const { from, to } = req.body as { from: string; to: string };
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO ${table} (caller, callee) VALUES ($1, $2) RETURNING id`,
      [from, to],
    );
    const id = rows[0]!.id;
    await queue.add(
      "ring-timeout",
      { callId: id },
      { jobId: `ring-${id}`, delay: RING_TIMEOUT_MS, removeOnComplete: true, removeOnFail: true },
    );
    res.status(202).json({ id });
  });
  let server: Listening | undefined;
  try {
    await queue.waitUntilReady();
    server = await listen(app);
    const max = checked("pipeline", await drive(closedJob(d, server.port, POST_CALL)));
    const fixed = checked(
      `pipeline at ${FIXED_RATE}/s`,
      await drive({
        ...POST_CALL,
        port: server.port,
        shape: { kind: "open", perS: FIXED_RATE },
        warmupMs: d.warmupMs,
        maxMs: d.fixedMs,
        count: Math.ceil((d.fixedMs / 1000) * FIXED_RATE),
      }),
    ).latency.summary();
    return {
      rps: max.per_s,
      fixed: { rate: FIXED_RATE, p50_ms: fixed.p50_ms, p99_ms: fixed.p99_ms, max_ms: fixed.max_ms },
    };
  } finally {
    await server?.close();
    await Promise.allSettled([removeQueues(prefix, [queue]), drop()]);
  }
}

/** Single-row INSERTs per second from node-pg: a pool of 16, 16 in flight. */
async function pgInsertFloor(d: Durations): Promise<number> {
  const { pool, table, drop } = await scratchTable(16);
  try {
    const insert = async () => {
      await pool.query(`INSERT INTO ${table} (caller, callee) VALUES ($1, $2)`, [
        "alice@example.org",
        "bob@example.org",
      ]);
    };
    await closedLoop(16, { count: MAX_RATE, maxMs: d.warmupMs }, insert);
    const r = await closedLoop(
      16,
      { count: Math.ceil((d.measureMs / 1000) * MAX_RATE), maxMs: d.measureMs },
      insert,
    );
    return checked("pg insert", r).per_s;
  } finally {
    await drop();
  }
}

/**
 * BullMQ jobs added and processed per second in this one process: a Queue adding (a closed loop
 * of 50) and a Worker (concurrency 50, an empty handler). The adding runs for the measurement's
 * time, then the worker finishes what is left; the rate is the jobs added over the time from the
 * first add to the last job's completion, so a worker falling behind counts against it.
 */
async function bullmqFloor(d: Durations): Promise<number> {
  const prefix = scratchName();
  const queue = new Queue("floor", {
    connection: { url: REDIS_URL },
    prefix,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  });
  queue.on("error", () => {}); // Adds report their own errors.
  const worker = new Worker("floor", async () => undefined, {
    connection: { url: REDIS_URL, maxRetriesPerRequest: null },
    prefix,
    concurrency: 50,
  });
  worker.on("error", () => {}); // Seen as jobs not completed.
  let completed = 0;
  let waiter: { target: number; resolve: () => void } | undefined;
  worker.on("completed", () => {
    if (++completed >= (waiter?.target ?? Infinity)) waiter?.resolve();
  });
  /** Until `target` jobs have completed in all, or `timeoutMs` passed (then it fails). */
  const completedBy = async (target: number, timeoutMs: number) => {
    if (completed >= target) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        waiter = { target, resolve };
        timer = setTimeout(
          () => reject(new Error(`BullMQ: ${completed} of ${target} jobs completed in time`)),
          timeoutMs,
        );
      });
    } finally {
      clearTimeout(timer);
      waiter = undefined;
    }
  };
  try {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    const add = async (i: number) => {
      await queue.add("job", { i });
    };
    const drainMs = Math.max(10_000, d.measureMs);
    const warm = checked("BullMQ add", await closedLoop(50, { count: MAX_RATE, maxMs: d.warmupMs }, add));
    await completedBy(warm.done, drainMs);
    const started = performance.now();
    const limits = { count: Math.ceil((d.measureMs / 1000) * MAX_RATE), maxMs: d.measureMs };
    const measured = checked("BullMQ add", await closedLoop(50, limits, add));
    await completedBy(warm.done + measured.done, drainMs);
    return Math.round(measured.done / ((performance.now() - started) / 1000));
  } finally {
    await worker.close(true).catch(() => {});
    await removeQueues(prefix, [queue]);
  }
}

// ---------------------------------------------------------------------------------------------
// Ed25519

/** Ed25519 signs and verifies per second: synchronous loops on this thread, one core. */
function ed25519Floor(d: Durations): { sign: number; verify: number } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  // About the size of an HTTP message signature's signature base.
  const data = randomBytes(300);
  const signature = sign(null, data, privateKey);
  const signs = perSecond(d.warmupMs, d.cryptoMs, () => sign(null, data, privateKey));
  const verifies = perSecond(d.warmupMs, d.cryptoMs, () => {
    if (!verify(null, data, publicKey, signature)) throw new Error("Ed25519 verify failed");
  });
  return { sign: signs, verify: verifies };
}

/** Calls `op` in a tight loop for `warmupMs` (uncounted) and then `ms`, and answers calls per second. */
function perSecond(warmupMs: number, ms: number, op: () => unknown): number {
  const loop = (ms: number) => {
    const started = performance.now();
    let n = 0;
    for (;;) {
      for (let i = 0; i < 64; i++) op();
      n += 64;
      const elapsed = performance.now() - started;
      if (elapsed >= ms) return n / (elapsed / 1000);
    }
  };
  loop(warmupMs);
  return Math.round(loop(ms));
}
