/**
 * The HTTP side of the floors (floors.ts): bare node:http and express servers on loopback, and
 * the load client that drives them from a worker thread (plain node:http with a keep-alive
 * agent), so client and server each get an event loop — on a 2-core machine, a core each.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Worker as Thread } from "node:worker_threads";
import express from "express";
import type { LoadResult } from "../lib/load.js";
import { Latencies } from "../lib/stats.js";

/** No load here comes near this many operations per second: it only caps the counts. */
export const MAX_RATE = 200_000;

/** In-flight HTTP requests (and keep-alive connections) for the HTTP floors. */
export const CONNECTIONS = 50;

export interface Durations {
  /** Load before each measurement, not counted (JIT, connections, caches). */
  warmupMs: number;
  /** Each closed-loop measurement. */
  measureMs: number;
  /** The fixed-rate pipeline. */
  fixedMs: number;
  /** Each Ed25519 loop. */
  cryptoMs: number;
}

/** What the load client sends: one request, the same every time. */
interface Request {
  method: "GET" | "POST";
  path: string;
  /** A JSON body. */
  body?: string;
}

export const POST_CALL: Request = {
  method: "POST",
  path: "/calls",
  body: JSON.stringify({ from: "alice@example.org", to: "bob@example.org" }),
};

/** A closed loop (`inFlight` at a time) or an open loop (`perS` started per second). */
type Shape = { kind: "closed"; inFlight: number } | { kind: "open"; perS: number };

interface ClientJob extends Request {
  port: number;
  shape: Shape;
  warmupMs: number;
  maxMs: number;
  count: number;
}

interface ClientResult {
  done: number;
  failed: number;
  seconds: number;
  samples: Float64Array;
  firstError?: string;
}

/**
 * The load client, run as plain JavaScript in a worker thread (tsx's loader does not reach
 * worker threads on Node 20). It warms up with the same shape for `warmupMs`, uncounted, then
 * measures: latency from each request's start (closed loop) or scheduled start (open loop), as
 * in ../lib/load.ts. Any answer but 2xx is a failure.
 */
const CLIENT_SOURCE = `
const http = require("node:http");
const { parentPort, workerData: job } = require("node:worker_threads");
const agent = new http.Agent({ keepAlive: true, maxSockets: ${CONNECTIONS} });
const headers = job.body === undefined ? {} :
  { "content-type": "application/json", "content-length": Buffer.byteLength(job.body) };
const options = { agent, host: "127.0.0.1", port: job.port, method: job.method, path: job.path, headers };

function request() {
  return new Promise((resolve, reject) => {
    const req = http.request(options, (res) => {
      res.on("error", reject);
      res.on("end", () =>
        res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error("HTTP " + res.statusCode)));
      res.resume();
    });
    req.setTimeout(10000, () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(job.body);
  });
}

async function run(maxMs, count, record) {
  const samples = [];
  let failed = 0;
  let firstError;
  const fail = (err) => { failed++; if (firstError === undefined) firstError = String(err && err.message || err); };
  const started = performance.now();
  const deadline = started + maxMs;
  if (job.shape.kind === "closed") {
    let next = 0;
    const loop = async () => {
      while (next < count && performance.now() < deadline) {
        next++;
        const t0 = performance.now();
        try { await request(); if (record) samples.push(performance.now() - t0); } catch (err) { fail(err); }
      }
    };
    await Promise.all(Array.from({ length: job.shape.inFlight }, loop));
  } else {
    const perS = job.shape.perS;
    const total = Math.min(count, Math.floor((maxMs / 1000) * perS));
    const running = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / perS;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      running.push(request().then(() => { if (record) samples.push(performance.now() - due); }, fail));
    }
    await Promise.all(running);
  }
  return { done: samples.length, failed, seconds: (performance.now() - started) / 1000, samples, firstError };
}

(async () => {
  if (job.warmupMs > 0) await run(job.warmupMs, job.count, false);
  const r = await run(job.maxMs, job.count, true);
  agent.destroy();
  const samples = Float64Array.from(r.samples);
  parentPort.postMessage({ ...r, samples }, [samples.buffer]);
})();
`;

/** Runs the load client on a worker thread and answers what it measured. */
export function drive(job: ClientJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const thread = new Thread(CLIENT_SOURCE, { eval: true, workerData: job });
    let answer: ClientResult | undefined;
    // A last resort: the client bounds itself (time, and 10 s per request).
    const guard = setTimeout(() => void thread.terminate(), job.warmupMs + job.maxMs + 30_000);
    thread.on("message", (m: ClientResult) => (answer = m));
    thread.on("error", reject);
    thread.on("exit", (code) => {
      clearTimeout(guard);
      if (!answer) return reject(new Error(`load client exited (${code}) without an answer`));
      const latency = new Latencies();
      for (const ms of answer.samples) latency.add(ms);
      resolve({
        done: answer.done,
        failed: answer.failed,
        seconds: answer.seconds,
        per_s: Math.round(answer.done / answer.seconds),
        latency,
        ...(answer.firstError !== undefined && { firstError: answer.firstError }),
      });
    });
  });
}

/** A listening server on 127.0.0.1 (port 0) and how to close it, connections and all. */
export interface Listening {
  port: number;
  close: () => Promise<void>;
}

export async function listen(handler: http.RequestListener): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const plainServer = (): http.RequestListener => (_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
};

export function expressGetApp(): http.RequestListener {
  const app = express();
  app.get("/", (_req, res) => {
    res.send("ok");
  });
  return app;
}

export function expressPostApp(): http.RequestListener {
  const app = express();
  app.use(express.json());
  app.post("/calls", (req, res) => {
    const { from, to } = req.body as { from: string; to: string };
    res.json({ from, to });
  });
  return app;
}

/** Fails when any request failed: a floor with failures in it is no floor. */
export function checked(what: string, r: LoadResult): LoadResult {
  if (r.failed > 0) throw new Error(`${what}: ${r.failed} of ${r.failed + r.done} failed: ${r.firstError}`);
  if (r.done === 0) throw new Error(`${what}: nothing completed`);
  return r;
}

export const closedJob = (d: Durations, port: number, request: Request): ClientJob => ({
  ...request,
  port,
  shape: { kind: "closed", inFlight: CONNECTIONS },
  warmupMs: d.warmupMs,
  maxMs: d.measureMs,
  count: Math.ceil((d.measureMs / 1000) * MAX_RATE),
});

/** Maximum requests per second at 50 connections against `handler`. */
export async function httpFloor(
  d: Durations,
  handler: http.RequestListener,
  request: Request,
): Promise<number> {
  const server = await listen(handler);
  try {
    const r = await drive(closedJob(d, server.port, request));
    return checked(`${request.method} ${request.path}`, r).per_s;
  } finally {
    await server.close();
  }
}
