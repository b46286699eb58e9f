/** Anything that runs SQL with `$n` parameters: the data source or a transaction. */
export interface Sql {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
}
