/**
 * The database: typeorm over the `pg` driver, on PostgreSQL (production, tests) or on the
 * embedded default, PGlite served on a loopback socket by `@electric-sql/pglite-socket` so the
 * very same driver, SQL and migrations are used. PGlite runs one transaction at a time, so the
 * embedded pool holds exactly one connection.
 *
 * Repositories take a `Sql` (the data source, or a transaction's entity manager) so the same
 * repository code runs inside and outside transactions. Inside `transaction()` never touch the
 * outer data source: with a pool of one that would wait for itself.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import "reflect-metadata";
import type pg from "pg";
import { DataSource, type EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { Sql } from "./sql.js";
import { Initial1763683200000 } from "./migrations/0001-initial.js";
import { Typing1763769600000 } from "./migrations/0002-typing.js";
import { TxnScope1763856000000 } from "./migrations/0003-txn-scope.js";
import { Calls1763942400000 } from "./migrations/0004-calls.js";
import { ForgottenRooms1764028800000 } from "./migrations/0005-forgotten-rooms.js";
import { Names1764115200000 } from "./migrations/0006-names.js";
import { DomainClaims1764201600000 } from "./migrations/0007-domain-claims.js";
import { NameClaims1764288000000 } from "./migrations/0008-name-claims.js";
import { Customers1764374400000 } from "./migrations/0009-customers.js";
import { Services1764460800000 } from "./migrations/0010-services.js";
import { Billing1764547200000 } from "./migrations/0011-billing.js";
import { Distribution1764633600000 } from "./migrations/0012-distribution.js";
import { Widgets1764720000000 } from "./migrations/0013-widgets.js";
import { ServiceTransfers1764806400000 } from "./migrations/0014-service-transfers.js";
import { ServerKeys1764892800000 } from "./migrations/0015-server-keys.js";
import { FederationNonces1764979200000 } from "./migrations/0016-federation-nonces.js";
import { FederationDelivery1765065600000 } from "./migrations/0017-federation-delivery.js";
import { RemoteParties1765152000000 } from "./migrations/0018-remote-parties.js";
import { CallMedia1765238400000 } from "./migrations/0019-call-media.js";
import { SipTrunks1765324800000 } from "./migrations/0020-sip-trunks.js";
import { PbxLines1765411200000 } from "./migrations/0021-pbx-lines.js";
import { StreamPositions1765497600000 } from "./migrations/0022-stream-positions.js";
import { InlinePositions, RegisteredPositions, type StreamPositions } from "./stream-positions.js";
import { AccessTokenEntity, AccountEntity, DeviceEntity } from "./entities/index.js";

export type { Sql };

/**
 * typeorm answers UPDATE and DELETE with `[rows, affectedCount]` and everything else with the
 * rows; repositories always get the rows.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function rowsOf(sql: string, result: any): any[] {
  if (
    /^\s*(UPDATE|DELETE)\b/i.test(sql) &&
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0])
  ) {
    return result[0];
  }
  return result;
}

export const migrations = [
  Initial1763683200000,
  Typing1763769600000,
  TxnScope1763856000000,
  Calls1763942400000,
  ForgottenRooms1764028800000,
  Names1764115200000,
  DomainClaims1764201600000,
  NameClaims1764288000000,
  Customers1764374400000,
  Services1764460800000,
  Billing1764547200000,
  Distribution1764633600000,
  Widgets1764720000000,
  ServiceTransfers1764806400000,
  ServerKeys1764892800000,
  FederationNonces1764979200000,
  FederationDelivery1765065600000,
  RemoteParties1765152000000,
  CallMedia1765238400000,
  SipTrunks1765324800000,
  PbxLines1765411200000,
  StreamPositions1765497600000,
];

/** A transaction: its queries, its entity manager and its PostgreSQL backend's process id. */
export interface Tx extends Sql {
  manager: EntityManager;
  backendPid(): number | undefined;
}

export interface Database extends Sql {
  readonly dataSource: DataSource;
  readonly embedded: boolean;
  /** Where write transactions take their stream positions (stream-positions.ts). */
  readonly positions: StreamPositions;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

interface OpenOptions {
  url: string | undefined;
  poolSize: number;
  dataDir: string;
  logger: Logger;
}

async function startPglite(dataDir: string, logger: Logger) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const dir = path.join(dataDir, "pglite");
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 1 });
  await server.start();
  const conn = server.getServerConn();
  logger.info({ dir, conn }, "embedded PGlite started");
  return {
    url: `postgres://postgres@${conn}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const pglite = opts.url ? undefined : await startPglite(opts.dataDir, opts.logger);
  const dataSource = new DataSource({
    type: "postgres",
    url: opts.url ?? pglite!.url,
    entities: [AccountEntity, DeviceEntity, AccessTokenEntity],
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: pglite ? 1 : opts.poolSize, connectionTimeoutMillis: 10000 },
  });
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: "each" });
    if (applied.length) opts.logger.info({ migrations: applied.map((m) => m.name) }, "migrations applied");
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await pglite?.close();
    throw err;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const pool = (dataSource.driver as any).master as pg.Pool;
  const positions = pglite
    ? new InlinePositions()
    : new RegisteredPositions(opts.url!, (err) => opts.logger.warn({ err }, "stream positions"));
  return {
    dataSource,
    embedded: Boolean(pglite),
    positions,
    // Outside transactions, straight on pg's pool: `dataSource.query` would build a query
    // runner for every query (a quarter of what a sync allocates).
    query: async (sql, params) => {
      const result = await pool.query(sql, params);
      return (Array.isArray(result) ? result.at(-1) : result).rows;
    },
    transaction: (work) =>
      dataSource.transaction((manager) =>
        work({
          manager,
          query: async (sql: string, params?: unknown[]) => rowsOf(sql, await manager.query(sql, params)),
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          backendPid: () => (manager.queryRunner as any)?.databaseConnection?.processID,
        }),
      ),
    async ping() {
      await dataSource.query("SELECT 1");
    },
    async close() {
      await positions.close();
      await dataSource.destroy();
      await pglite?.close();
    },
  };
}
