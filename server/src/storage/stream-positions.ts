/**
 * Stream positions without a lock held to the commit.
 *
 * Every item a client receives through `/sync` takes a position from `stream_counter`. A write
 * transaction registers a block of positions in `stream_inflight` (both tables unlogged: they
 * cost no WAL flush) in one short statement of its own, committed at once, on a connection of
 * its own — so writers commit in parallel and PostgreSQL groups their flushes — and deletes its
 * registration in its own transaction, which makes the registration disappear at the very
 * moment its items become visible. Readers read up to the settled position: below the first
 * position still registered, or the counter when nothing is. Every position at or below it
 * belongs to a transaction that has committed or rolled back, so a reader never steps past an
 * item that commits later (the persisted-up-to position of Synapse's stream ID generators).
 *
 * One statement updates the counter and inserts the registration, and one statement reads
 * both, so a reader can never see an allocated position that is not yet registered. The
 * embedded PGlite runs one transaction at a time: there a transaction takes its positions
 * inside itself (nothing else can commit meanwhile) and registers nothing.
 *
 * Unlogged tables are emptied by a PostgreSQL crash: the counter is then seeded again above
 * every position stored. A registration left by a writer that died (its backend gone, or in
 * another transaction since) is swept after a few seconds.
 */
import pg from "pg";
import type { Sql } from "./sql.js";

/** Positions taken a block at a time: a room's creation takes a dozen or more. */
export const BLOCK = 16;
/** How long a reader waits for positions allocated before it looked to settle. */
const SETTLE_MS = 2000;
const SWEEP_EVERY_MS = 5000;

const SEED = `
  INSERT INTO stream_counter (id, pos)
  SELECT 1, GREATEST(
    COALESCE((SELECT pos FROM stream_head WHERE id = 1), 0),
    COALESCE((SELECT max(stream_pos) FROM events), 0),
    COALESCE((SELECT max(stream_pos) FROM to_device), 0),
    COALESCE((SELECT max(stream_pos) FROM account_data), 0),
    COALESCE((SELECT max(stream_pos) FROM receipts), 0),
    COALESCE((SELECT max(stream_pos) FROM typing), 0),
    COALESCE((SELECT max(queue_seq) FROM calls), 0))
  ON CONFLICT (id) DO NOTHING`;

const REGISTER = `
  WITH a AS (UPDATE stream_counter SET pos = pos + $1 WHERE id = 1 RETURNING pos)
  INSERT INTO stream_inflight (first, last, pid) SELECT pos - $1 + 1, pos, $2 FROM a RETURNING first`;

const TAKE = `UPDATE stream_counter SET pos = pos + $1 WHERE id = 1 RETURNING pos - $1 + 1 AS first`;

const HEAD = `
  SELECT c.pos AS allocated, COALESCE((SELECT min(first) - 1 FROM stream_inflight), c.pos) AS settled
  FROM stream_counter c WHERE c.id = 1`;

const SWEEP = `
  DELETE FROM stream_inflight r
  WHERE r.at < now() - interval '5 seconds'
    AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = r.pid AND a.xact_start <= r.at)`;

/** Seeds the counter after a crash emptied it (a no-op when it is there). */
export async function seedCounter(sql: Sql): Promise<void> {
  await sql.query(SEED);
}

/**
 * The settled position: every item at or below it has committed (or never will). Waits, up to
 * two seconds, until it reaches `committed` — a position known to have committed, such as the
 * newest the notifier announced — or, without one, the positions allocated when it first
 * looked; so whatever committed before the call (a client's own write, the write that woke a
 * long-poll) is at or below it.
 */
export async function currentPosition(sql: Sql, committed?: number): Promise<number> {
  const deadline = Date.now() + SETTLE_MS;
  let target = committed;
  for (let tries = 1; ; tries++) {
    const [row] = await sql.query(HEAD);
    if (!row) {
      await seedCounter(sql);
      continue;
    }
    const settled = Number(row.settled);
    target ??= Number(row.allocated);
    if (settled >= target || Date.now() >= deadline) return settled;
    // Writers in flight commit within milliseconds: look again soon, then less often.
    await new Promise((resolve) => setTimeout(resolve, Math.min(tries, 10)));
  }
}

/** The positions one write transaction takes. */
export interface TxPositions {
  /** The next position (a new block is registered when the last one is used up). */
  next(): Promise<number>;
  /** The last position taken, 0 if none. */
  readonly last: number;
  /** In the transaction, just before its commit: its registrations go with the commit. */
  beforeCommit(): Promise<void>;
  /** After a rollback: its registrations are removed. */
  afterRollback(): Promise<void>;
}

export interface StreamPositions {
  /** `tx` is the transaction; `pid` its PostgreSQL backend's process id. */
  open(tx: Sql, pid: () => number | undefined): TxPositions;
  close(): Promise<void>;
}

/**
 * Positions handed out of blocks of `BLOCK`: `take` allocates a block and answers its first
 * position, and is called again when the block is used up.
 */
function fromBlocks(take: () => Promise<number>): Pick<TxPositions, "next" | "last"> {
  let last = 0;
  let end = 0;
  return {
    next: async () => {
      if (last === end) {
        const first = await take();
        last = first - 1;
        end = first + BLOCK - 1;
      }
      return ++last;
    },
    get last() {
      return last;
    },
  };
}

/** The `first` of the row `run` answers; the counter is seeded again when that row is missing. */
async function firstOf(sql: Sql, run: () => Promise<{ first: string }[]>): Promise<number> {
  for (;;) {
    const [row] = await run();
    if (row) return Number(row.first);
    await seedCounter(sql);
  }
}

/** PostgreSQL: blocks registered on connections of their own, transactions commit in parallel. */
export class RegisteredPositions implements StreamPositions {
  private readonly pool: pg.Pool;
  private readonly poolSql: Sql;
  private readonly sweeper: NodeJS.Timeout;

  constructor(url: string, onError: (err: unknown) => void) {
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
    this.pool.on("error", onError);
    this.poolSql = { query: async (sql, params) => (await this.pool.query(sql, params)).rows };
    this.sweeper = setInterval(() => void this.sweep().catch(onError), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  open(tx: Sql, pid: () => number | undefined): TxPositions {
    const firsts: number[] = [];
    const blocks = fromBlocks(async () => {
      const first = await firstOf(this.poolSql, () => this.poolSql.query(REGISTER, [BLOCK, pid() ?? null]));
      firsts.push(first);
      return first;
    });
    const forget = async (sql: Sql) => {
      if (firsts.length) await sql.query(`DELETE FROM stream_inflight WHERE first = ANY($1)`, [firsts]);
    };
    return {
      next: blocks.next,
      get last() {
        return blocks.last;
      },
      beforeCommit: () => forget(tx),
      afterRollback: () => forget(this.poolSql),
    };
  }

  /** Removes the registrations of writers that died (run every few seconds). */
  async sweep(): Promise<void> {
    await this.pool.query(SWEEP);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.pool.end();
  }
}

/** The embedded PGlite: one transaction at a time takes its positions inside itself. */
export class InlinePositions implements StreamPositions {
  open(tx: Sql): TxPositions {
    const blocks = fromBlocks(() => firstOf(tx, () => tx.query(TAKE, [BLOCK])));
    return {
      next: blocks.next,
      get last() {
        return blocks.last;
      },
      beforeCommit: async () => {},
      afterRollback: async () => {},
    };
  }

  async close(): Promise<void> {}
}
