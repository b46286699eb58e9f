/**
 * The BullMQ engine: one queue ("jobs") and one worker per engine, under a key prefix of its own
 * so several test networks can share one Redis. The worker dispatches by job name to the
 * handler `define()` registered.
 *
 * - Ids: every job gets a BullMQ id built by `jobKey(name, jobId)` (see job-key.ts), which is
 *   what makes ids per-name and keeps ':' out of BullMQ ids. BullMQ ignores an add whose id
 *   exists, so de-duplication is BullMQ's own, atomic in Redis.
 * - Finished jobs are removed at once (`removeOnComplete`/`removeOnFail`), so an id is taken
 *   exactly while its job is delayed, waiting, running or waiting out a retry; final failures
 *   are logged instead of kept.
 * - Retries use BullMQ's exponential back-off: `backoffMs · 2^(n-1)` after the n-th failure.
 *   `UnrecoverableJobError` becomes BullMQ's `UnrecoverableError`, which fails the job at once.
 * - Delayed jobs live in Redis: a new engine with the same prefix runs them after a restart; a
 *   job that was running when its process died is re-run once BullMQ sees it stalled (≤ 30 s).
 */
import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { jobKey, parseJobKey } from "./job-key.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_IDLE_TIMEOUT_MS,
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

const QUEUE_NAME = "jobs";

export interface BullmqJobEngineOptions {
  connection: { url: string };
  /** BullMQ key prefix; every Redis key of this engine starts with `${prefix}:jobs:`. */
  prefix: string;
  logger?: JobLogger;
  /** Handlers run at once by this engine's worker. Default 10. */
  concurrency?: number;
}

export class BullmqJobEngine implements JobEngine {
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly logger: JobLogger;
  /** Ours: shared with the queue (which leaves it open) and closed in `close()`. */
  private readonly client: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: BullmqJobEngineOptions) {
    this.logger = opts.logger ?? silentJobLogger;
    // Producers fail fast when Redis is away (ioredis' default retries), rather than hang.
    this.client = new Redis(opts.connection.url);
    this.client.on("error", (err) => this.logger.warn({ err }, "job queue Redis connection error"));
    this.queue = new Queue(QUEUE_NAME, {
      connection: this.client,
      prefix: opts.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
    });
    this.queue.on("error", (err) => this.logger.warn({ err }, "job queue error"));
  }

  define<T>(name: string, handler: JobHandler<T>): void {
    this.handlers.set(name, handler as JobHandler<unknown>);
  }

  async start(): Promise<void> {
    if (this.worker) return;
    if (this.closing) throw new Error("job engine is closed");
    // A worker blocks on Redis, so it gets connections of its own, made by BullMQ from the URL
    // with `maxRetriesPerRequest: null` (required for blocking commands) and closed by it.
    const worker = new Worker(QUEUE_NAME, (job) => this.process(job), {
      connection: { url: this.opts.connection.url, maxRetriesPerRequest: null },
      prefix: this.opts.prefix,
      concurrency: this.opts.concurrency ?? DEFAULT_CONCURRENCY,
    });
    worker.on("error", (err) => this.logger.warn({ err }, "job worker error"));
    worker.on("failed", (job, err) => {
      if (!job) return;
      const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      const fields = { err, job: job.name, jobId: parseJobKey(job.id!).jobId, attempt: job.attemptsMade };
      if (final) this.logger.error(fields, "job failed for good");
      else this.logger.warn(fields, "job failed, will retry");
    });
    this.worker = worker;
    await Promise.all([this.queue.waitUntilReady(), worker.waitUntilReady()]);
  }

  async add<T>(name: string, data: T, opts?: JobOptions): Promise<string> {
    const o = resolveJobOptions(opts);
    await this.queue.add(name, data, {
      jobId: jobKey(name, o.jobId),
      delay: o.delayMs,
      attempts: o.attempts,
      backoff: { type: "exponential", delay: o.backoffMs },
    });
    return o.jobId;
  }

  async cancel(name: string, jobId: string): Promise<void> {
    // Returns 0 (and removes nothing) while a worker holds the job's lock.
    await this.queue.remove(jobKey(name, jobId));
  }

  async idle(timeoutMs = DEFAULT_IDLE_TIMEOUT_MS): Promise<void> {
    // One Lua call counts every state atomically; with a cutoff, "delayed" counts only jobs due
    // by now (BullMQ promotes those to "wait" lazily, so they are work waiting all the same).
    const busyStates = ["wait", "active", "prioritized", "waiting-children", "delayed"] as const;
    const counts = async () => this.queue.backend.getCounts([...busyStates], Date.now() + 1);
    await pollUntilIdle(
      async () => (await counts()).every((n) => n === 0),
      timeoutMs,
      async () => {
        const n = await counts();
        return busyStates.map((state, i) => `${state}=${n[i]}`).join(" ");
      },
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.worker?.close();
      await this.queue.close();
      await this.client.quit().catch(() => this.client.disconnect());
    })();
    return this.closing;
  }

  private async process(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new UnrecoverableError(`no handler defined for job "${job.name}"`);
    try {
      await handler(job.data, {
        id: parseJobKey(job.id!).jobId,
        name: job.name,
        attempt: job.attemptsMade + 1,
      });
    } catch (err) {
      if (err instanceof UnrecoverableJobError) throw new UnrecoverableError(err.message);
      throw err;
    }
  }
}
