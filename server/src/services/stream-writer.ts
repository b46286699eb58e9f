/**
 * Every write that clients receive through `/sync` goes through `StreamWriter.write`: one
 * transaction that takes stream positions (registered in blocks without holding a lock to the
 * commit: storage/stream-positions.ts, so writers commit in parallel), then — after the
 * commit, never before — a wake-up for the users concerned. Keeping this in one place is what
 * makes "arrives exactly once, in order, within milliseconds" hold for every kind of stream
 * item. Writers that must not interleave take a narrower lock themselves: a room's state
 * changes lock the room (RoomStateCache.locked), a placement the caller–callee pair. Other
 * work that must follow a commit and never a rollback (waking the delivery job of an item
 * queued for a peer) registers with `afterCommit`.
 */
import type { EntityManager } from "typeorm";
import type { Database, Sql } from "../storage/database.js";
import { RoomStateCache } from "./rooms/state-cache.js";
import type { Notifier } from "./notifier.js";

export interface WriteTx extends Sql {
  manager: EntityManager;
  /** Takes the next stream position. */
  nextPosition(): Promise<number>;
  /** The state of the rooms this transaction appends to (services/rooms/state-cache.ts). */
  roomState: RoomStateCache;
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
    let rollback: (() => Promise<void>) | undefined;
    let result: T;
    try {
      result = await this.db.transaction(async (tx) => {
        const positions = this.db.positions.open(tx, tx.backendPid);
        rollback = positions.afterRollback;
        const done = await work({
          ...tx,
          nextPosition: positions.next,
          roomState: new RoomStateCache(),
          notify: (...ids) => ids.forEach((id) => users.add(id)),
          afterCommit: (fn) => void after.push(fn),
        });
        await positions.beforeCommit();
        last = positions.last;
        return done;
      });
    } catch (err) {
      await rollback?.().catch((e: unknown) =>
        this.logger?.error({ err: e }, "stream positions left registered"),
      );
      throw err;
    }
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
