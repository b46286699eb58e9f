/**
 * Every write that clients receive through `/sync` goes through `StreamWriter.write`: one
 * transaction that allocates stream positions, then — after the commit, never before — a
 * wake-up for the users concerned. Keeping this in one place is what makes "arrives exactly
 * once, in order, within milliseconds" hold for every kind of stream item. Other work that must
 * follow a commit and never a rollback (waking the delivery job of an item queued for a peer)
 * registers with `afterCommit`.
 */
import type { EntityManager } from "typeorm";
import type { Database, Sql } from "../storage/database.js";
import { allocatePositions } from "../storage/repositories/events.js";
import type { Notifier } from "./notifier.js";

export interface WriteTx extends Sql {
  manager: EntityManager;
  /** Takes the next stream position. */
  nextPosition(): Promise<number>;
  /** Marks users whose `/sync` must wake once the transaction commits. */
  notify(...userIds: string[]): void;
  /**
   * Runs `fn` once the transaction has committed — never when it rolls back — in the order
   * registered, before `write` resolves. A failure is logged and does not undo the commit.
   */
  afterCommit(fn: () => Promise<void> | void): void;
}

/** What the writer logs an after-commit failure with. */
interface WriterLogger {
  error(obj: object, msg: string): void;
}

export class StreamWriter {
  constructor(
    private readonly db: Database,
    private readonly notifier: Notifier,
    private readonly logger?: WriterLogger,
  ) {}

  /** The entity manager for reads outside any transaction (repositories over typeorm entities). */
  get manager(): EntityManager {
    return this.db.dataSource.manager;
  }

  /** Runs reads outside any transaction (never call it from inside `write`). */
  read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return work(this.db);
  }

  async write<T>(work: (tx: WriteTx) => Promise<T>): Promise<T> {
    const users = new Set<string>();
    const after: (() => Promise<void> | void)[] = [];
    let last = 0;
    const result = await this.db.transaction((tx) =>
      work({
        ...tx,
        nextPosition: async () => (last = await allocatePositions(tx)),
        notify: (...ids) => ids.forEach((id) => users.add(id)),
        afterCommit: (fn) => void after.push(fn),
      }),
    );
    if (last > 0) this.notifier.publish(last, users);
    for (const fn of after) {
      try {
        await fn();
      } catch (err) {
        this.logger?.error({ err }, "after-commit work failed");
      }
    }
    return result;
  }
}
