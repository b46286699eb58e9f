/**
 * A savepoint inside a transaction: `work` either keeps its writes or, when it throws, loses
 * them while the transaction goes on. What to do with the error is the caller's choice: it is
 * thrown again.
 */
import type { Sql } from "./database.js";

export async function withSavepoint<T>(tx: Sql, name: string, work: () => Promise<T>): Promise<T> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a savepoint name: ${name}`);
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    throw err;
  }
}
