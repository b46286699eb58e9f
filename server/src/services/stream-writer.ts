/**
 * Every write that clients receive through `/sync` goes through `StreamWriter.write`: one
 * transaction that allocates stream positions, then — after the commit, never before — a
 * wake-up for the users concerned. Keeping this in one place is what makes "arrives exactly
 * once, in order, within milliseconds" hold for every kind of stream item.
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
}

export class StreamWriter {
  constructor(
    private readonly db: Database,
    private readonly notifier: Notifier,
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
    let last = 0;
    const result = await this.db.transaction((tx) =>
      work({
        ...tx,
        nextPosition: async () => (last = await allocatePositions(tx)),
        notify: (...ids) => ids.forEach((id) => users.add(id)),
      }),
    );
    if (last > 0) this.notifier.publish(last, users);
    return result;
  }
}
