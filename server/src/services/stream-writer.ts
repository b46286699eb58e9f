/**
 * Every write that clients receive through `/sync` goes through `StreamWriter.write`: one
 * transaction that allocates stream positions (the first locks the stream head; the rest are
 * counted in memory and the head moves once, before the commit), then — after the commit, never before — a
 * wake-up for the users concerned. Keeping this in one place is what makes "arrives exactly
 * once, in order, within milliseconds" hold for every kind of stream item. Other work that must
 * follow a commit and never a rollback (waking the delivery job of an item queued for a peer)
 * registers with `afterCommit`.
 */
import type { EntityManager } from "typeorm";
import type { Database, Sql } from "../storage/database.js";
import { allocatePositions, moveHead } from "../storage/repositories/events.js";
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
    let first = 0;
    let last = 0;
    const result = await this.db.transaction(async (tx) => {
      const done = await work({
        ...tx,
        // The first position locks the stream head until the commit: later ones are counted
        // here, and the head moves to the last of them once, at the end.
        nextPosition: async () => {
          if (last === 0) return (first = last = await allocatePositions(tx));
          return ++last;
        },
        roomState: new RoomStateCache(),
        notify: (...ids) => ids.forEach((id) => users.add(id)),
        afterCommit: (fn) => void after.push(fn),
      });
      if (last > first) await moveHead(tx, last);
      return done;
    });
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
