/**
 * Where the in-process engine keeps its jobs so they survive a restart. A job is saved when it
 * is added, rescheduled after each failed attempt that will be retried, and deleted once it
 * completed or failed for good; a job that was running when the process died is still stored
 * and runs again on the next start (handlers are idempotent).
 */

export interface StoredJob {
  /** `jobKey(name, jobId)`: unique per name and caller's job id. */
  id: string;
  name: string;
  /** JSON-serialisable payload. */
  data: unknown;
  /** Epoch milliseconds of the next attempt. */
  runAt: number;
  /** Attempts already made; 0 before the first run. */
  attempt: number;
  maxAttempts: number;
  backoffMs: number;
}

export interface JobStore {
  /** Saves a new job; resolves to false, changing nothing, when its id is already stored. */
  save(job: StoredJob): Promise<boolean>;
  delete(id: string): Promise<void>;
  reschedule(id: string, runAt: number, attempt: number): Promise<void>;
  /** Every stored job, soonest first. */
  loadAll(): Promise<StoredJob[]>;
}

/** A store in memory, for unit tests: it survives an engine, not a process. */
export class MemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, StoredJob>();

  async save(job: StoredJob): Promise<boolean> {
    if (this.jobs.has(job.id)) return false;
    this.jobs.set(job.id, structuredClone(job));
    return true;
  }

  async delete(id: string): Promise<void> {
    this.jobs.delete(id);
  }

  async reschedule(id: string, runAt: number, attempt: number): Promise<void> {
    const job = this.jobs.get(id);
    if (job) Object.assign(job, { runAt, attempt });
  }

  async loadAll(): Promise<StoredJob[]> {
    return [...this.jobs.values()].map((job) => structuredClone(job)).sort((a, b) => a.runAt - b.runAt);
  }
}
