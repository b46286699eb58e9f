/**
 * A `JobStore` in the `scheduled_jobs` table, for the in-process engine in embedded mode. Works
 * on anything with `query(sql, params)` resolving to rows, such as typeorm's `DataSource` or
 * the storage layer's `Sql`; a bare `pg.Pool` needs a wrapper returning `result.rows`. Only one
 * engine may use a table at a time: there is no locking between processes.
 */
import type { JobStore, StoredJob } from "./job-store.js";

/** The table and its index, as two statements to run without parameters (e.g. in a migration). */
export const SCHEDULED_JOBS_DDL = `CREATE TABLE scheduled_jobs (
  id text PRIMARY KEY,
  name text NOT NULL,
  data jsonb NOT NULL,
  run_at timestamptz NOT NULL,
  attempt integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  backoff_ms integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduled_jobs_run_at_idx ON scheduled_jobs (run_at);`;

export interface SqlQueryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

interface Row {
  id: string;
  name: string;
  data: unknown;
  run_at: Date | string;
  attempt: number;
  max_attempts: number;
  backoff_ms: number;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

export class SqlJobStore implements JobStore {
  constructor(private readonly db: SqlQueryable) {}

  async save(job: StoredJob): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO scheduled_jobs (id, name, data, run_at, attempt, max_attempts, backoff_ms)
       VALUES ($1, $2, $3::jsonb, $4::timestamptz, $5, $6, $7)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        job.id,
        job.name,
        JSON.stringify(job.data ?? null),
        iso(job.runAt),
        job.attempt,
        job.maxAttempts,
        Math.round(job.backoffMs),
      ],
    );
    return rows.length > 0;
  }

  async delete(id: string): Promise<void> {
    await this.db.query("DELETE FROM scheduled_jobs WHERE id = $1", [id]);
  }

  async reschedule(id: string, runAt: number, attempt: number): Promise<void> {
    await this.db.query("UPDATE scheduled_jobs SET run_at = $2::timestamptz, attempt = $3 WHERE id = $1", [
      id,
      iso(runAt),
      attempt,
    ]);
  }

  async loadAll(): Promise<StoredJob[]> {
    const rows: Row[] = await this.db.query(
      "SELECT id, name, data, run_at, attempt, max_attempts, backoff_ms FROM scheduled_jobs ORDER BY run_at",
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      data: row.data,
      runAt: new Date(row.run_at).getTime(),
      attempt: row.attempt,
      maxAttempts: row.max_attempts,
      backoffMs: row.backoff_ms,
    }));
  }
}
