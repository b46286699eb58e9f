/**
 * The one job interface of Callsign. Everything delayed or retried (ring time-outs, missed
 * calls, SMS delivery, tag expiry, name release, federation delivery) is a named job with a
 * JSON payload. Two engines run the same handlers: BullMQ on Redis (production, tests) and an
 * in-process engine (embedded mode) that keeps its jobs in the database so they survive a
 * restart too.
 *
 * Handlers must be idempotent: a job may run again after a crash between its effect and its
 * acknowledgement. A job added with a `jobId` that already exists (pending or running) is a
 * no-op, which is how callers de-duplicate. Job ids are scoped by job name: `("ring-timeout", "c1")`
 * and `("missed-call", "c1")` are different jobs. Once a job has completed, or failed for good,
 * its id is free again: adding it anew schedules a new run. Both engines keep no record of
 * finished jobs; final failures are logged.
 */

export interface JobOptions {
  /** Run no earlier than this many milliseconds from now. Default 0. */
  delayMs?: number;
  /** De-duplication key: adding a job whose id is pending or running does nothing. Default: random. */
  jobId?: string;
  /** Attempts in all, including the first. Default 5. */
  attempts?: number;
  /** Base of the exponential back-off between attempts, in milliseconds. Default 1000. */
  backoffMs?: number;
}

export interface JobMeta {
  id: string;
  name: string;
  /** 1 on the first run. */
  attempt: number;
}

export type JobHandler<T = unknown> = (data: T, meta: JobMeta) => Promise<void>;

/** Thrown by a handler when retrying cannot help: the job fails at once, without further attempts. */
export class UnrecoverableJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnrecoverableJobError";
  }
}

export interface JobEngine {
  /** Registers the handler for a job name; call before `start()`. */
  define<T>(name: string, handler: JobHandler<T>): void;
  /** Starts processing (and, for the in-process engine, reloads jobs persisted before a restart). */
  start(): Promise<void>;
  /** Schedules a job; resolves to its id. */
  add<T>(name: string, data: T, opts?: JobOptions): Promise<string>;
  /**
   * Removes a pending job (delayed, waiting, or waiting for a retry); a no-op when it does not
   * exist, already ran, or is running right now (a running job cannot be stopped).
   */
  cancel(name: string, jobId: string): Promise<void>;
  /**
   * Resolves when no job is waiting to run now or running (delayed jobs in the future do not
   * count, nor does a job waiting out its retry back-off). Tests use it instead of sleeping.
   * Rejects when that has not happened within `timeoutMs` (default 10000).
   */
  idle(timeoutMs?: number): Promise<void>;
  /** Stops processing; running handlers finish first. */
  close(): Promise<void>;
}

/** The subset of a pino logger the engines use. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentJobLogger: JobLogger = { info() {}, warn() {}, error() {} };
