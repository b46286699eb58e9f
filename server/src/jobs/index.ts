/**
 * The job subsystem: define handlers on the engine `createJobEngine` picks, then `start()` it.
 * With a Redis URL jobs go to BullMQ (production, tests); without one they run in this process
 * and are kept in `store` (embedded mode).
 */
import { BullmqJobEngine } from "./bullmq-engine.js";
import { InProcessJobEngine } from "./in-process-engine.js";
import type { JobStore } from "./job-store.js";
import type { JobEngine, JobLogger } from "./types.js";

export * from "./types.js";
export { BullmqJobEngine, type BullmqJobEngineOptions } from "./bullmq-engine.js";
export { InProcessJobEngine, type InProcessJobEngineOptions } from "./in-process-engine.js";
export { MemoryJobStore, type JobStore, type StoredJob } from "./job-store.js";
export { SCHEDULED_JOBS_DDL, SqlJobStore, type SqlQueryable } from "./sql-job-store.js";

export interface CreateJobEngineOptions {
  /** `redis://` or `rediss://` URL; when set, jobs go to BullMQ and `store` is not used. */
  redisUrl?: string;
  /** BullMQ key prefix (one per homeserver sharing a Redis). */
  prefix: string;
  /** Where the in-process engine keeps jobs (a `SqlJobStore` in embedded mode). */
  store: JobStore;
  logger?: JobLogger;
  /** Handlers run at once. Default 10. */
  concurrency?: number;
}

export function createJobEngine(opts: CreateJobEngineOptions): JobEngine {
  const { logger, concurrency } = opts;
  if (opts.redisUrl) {
    return new BullmqJobEngine({
      connection: { url: opts.redisUrl },
      prefix: opts.prefix,
      logger,
      concurrency,
    });
  }
  return new InProcessJobEngine({ store: opts.store, logger, concurrency });
}
