/**
 * The in-process engine, for embedded mode (no Redis): timers in this process, jobs in a
 * `JobStore` so they survive a restart. It keeps BullMQ's semantics (see bullmq-engine.ts):
 * ids scoped by name and taken while a job is pending, running or waiting out a retry;
 * exponential back-off; `UnrecoverableJobError` ends a job at once; finished jobs are deleted.
 *
 * The store is the source of truth: a job is saved before `add()` resolves and deleted only
 * after its handler succeeded (or failed for good), so a crash in between runs it again on the
 * next `start()`. Only one engine may use a store at a time.
 *
 * Node's timers hold at most ~24.8 days, so a far-future job's timer is re-armed until its time
 * comes. Timers are unref'd: pending jobs never keep a process alive, they wait in the store.
 */
import type { JobStore, StoredJob } from "./job-store.js";
import { jobKey, parseJobKey } from "./job-key.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_IDLE_TIMEOUT_MS,
  backoffDelay,
  pollUntilIdle,
  resolveJobOptions,
} from "./job-options.js";
import {
  UnrecoverableJobError,
  silentJobLogger,
  type JobEngine,
  type JobHandler,
  type JobLogger,
  type JobOptions,
} from "./types.js";

/** Longest delay `setTimeout` accepts (2^31 - 1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface InProcessJobEngineOptions {
  store: JobStore;
  logger?: JobLogger;
  /** Handlers run at once; due jobs beyond it wait their turn. Default 10. */
  concurrency?: number;
  /** Longest single timer before re-arming; lower only to test re-arming. Default 2^31 - 1. */
  maxTimerMs?: number;
}

interface Entry {
  job: StoredJob;
  timer?: NodeJS.Timeout;
  /** Due and waiting for a free slot. */
  ready: boolean;
  running: boolean;
}

export class InProcessJobEngine implements JobEngine {
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly entries = new Map<string, Entry>();
  /** Keys of due jobs, in the order they came due. */
  private readonly readyQueue: string[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly store: JobStore;
  private readonly logger: JobLogger;
  private readonly concurrency: number;
  private readonly maxTimerMs: number;
  private started = false;
  private closing: Promise<void> | undefined;

  constructor(opts: InProcessJobEngineOptions) {
    this.store = opts.store;
    this.logger = opts.logger ?? silentJobLogger;
    this.concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
    this.maxTimerMs = Math.min(opts.maxTimerMs ?? MAX_TIMER_MS, MAX_TIMER_MS);
  }

  define<T>(name: string, handler: JobHandler<T>): void {
    this.handlers.set(name, handler as JobHandler<unknown>);
  }

  async start(): Promise<void> {
    if (this.closing) throw new Error("job engine is closed");
    if (this.started) return;
    this.started = true;
    for (const job of await this.store.loadAll()) {
      if (!this.entries.has(job.id)) this.entries.set(job.id, { job, ready: false, running: false });
    }
    if (this.entries.size) this.logger.info({ jobs: this.entries.size }, "stored jobs loaded");
    for (const entry of this.entries.values()) this.arm(entry);
  }

  async add<T>(name: string, data: T, opts?: JobOptions): Promise<string> {
    if (this.closing) throw new Error("job engine is closed");
    const o = resolveJobOptions(opts);
    const job: StoredJob = {
      id: jobKey(name, o.jobId),
      name,
      data,
      runAt: Date.now() + o.delayMs,
      attempt: 0,
      maxAttempts: o.attempts,
      backoffMs: o.backoffMs,
    };
    // The store decides: it also knows jobs stored before a start() that has not run yet.
    if (!this.entries.has(job.id) && (await this.store.save(job))) {
      const entry: Entry = { job, ready: false, running: false };
      this.entries.set(job.id, entry);
      if (this.started) this.arm(entry);
    }
    return o.jobId;
  }

  async cancel(name: string, jobId: string): Promise<void> {
    const key = jobKey(name, jobId);
    const entry = this.entries.get(key);
    if (entry?.running) return;
    if (entry) {
      clearTimeout(entry.timer);
      this.entries.delete(key);
    }
    await this.store.delete(key);
  }

  async idle(timeoutMs = DEFAULT_IDLE_TIMEOUT_MS): Promise<void> {
    const busy = () => {
      const now = Date.now();
      return [...this.entries.values()].filter((e) => e.running || e.job.runAt <= now);
    };
    await pollUntilIdle(
      () => busy().length === 0,
      timeoutMs,
      () => {
        const jobs = busy();
        const running = jobs.filter((e) => e.running).length;
        return `running=${running} due=${jobs.length - running}${this.started ? "" : " (engine not started)"}`;
      },
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const entry of this.entries.values()) clearTimeout(entry.timer);
      this.readyQueue.length = 0;
      await Promise.all(this.inflight);
    })();
    return this.closing;
  }

  /** Sets a timer for the job's next attempt, or queues it when it is due. */
  private arm(entry: Entry): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    if (this.closing) return;
    const wait = entry.job.runAt - Date.now();
    if (wait > 0) {
      entry.timer = setTimeout(() => this.arm(entry), Math.min(wait, this.maxTimerMs));
      entry.timer.unref();
      return;
    }
    entry.ready = true;
    this.readyQueue.push(entry.job.id);
    this.pump();
  }

  private pump(): void {
    while (!this.closing && this.inflight.size < this.concurrency && this.readyQueue.length) {
      const entry = this.entries.get(this.readyQueue.shift()!);
      // Cancelled or already taken since it was queued.
      if (!entry?.ready || entry.running) continue;
      entry.ready = false;
      entry.running = true;
      const run = this.run(entry).finally(() => {
        this.inflight.delete(run);
        this.pump();
      });
      this.inflight.add(run);
    }
  }

  private async run(entry: Entry): Promise<void> {
    const { job } = entry;
    const attempt = job.attempt + 1;
    const log = { job: job.name, jobId: parseJobKey(job.id).jobId, attempt };
    try {
      const handler = this.handlers.get(job.name);
      if (!handler) throw new UnrecoverableJobError(`no handler defined for job "${job.name}"`);
      await handler(structuredClone(job.data), { id: log.jobId, name: job.name, attempt });
    } catch (err) {
      try {
        await this.failed(entry, attempt, err, log);
      } catch (storeErr) {
        // The stored row stays as it was: the job runs again after a restart.
        this.logger.error({ ...log, err: storeErr }, "could not record job failure");
        this.entries.delete(job.id);
      }
      return;
    }
    try {
      await this.store.delete(job.id);
    } catch (err) {
      this.logger.error({ ...log, err }, "job done but not deleted: it will run again after a restart");
    }
    this.entries.delete(job.id);
  }

  private async failed(entry: Entry, attempt: number, err: unknown, log: object): Promise<void> {
    const { job } = entry;
    if (err instanceof UnrecoverableJobError || attempt >= job.maxAttempts) {
      this.logger.error({ ...log, err }, "job failed for good");
      await this.store.delete(job.id);
      this.entries.delete(job.id);
      return;
    }
    this.logger.warn({ ...log, err }, "job failed, will retry");
    const runAt = Date.now() + backoffDelay(job.backoffMs, attempt);
    await this.store.reschedule(job.id, runAt, attempt);
    Object.assign(job, { runAt, attempt });
    entry.running = false;
    this.arm(entry);
  }
}
