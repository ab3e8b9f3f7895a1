import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type QueryResult,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import { startCheckpointer } from './checkpointer.js';
import { holdingDialect, type RequestTransaction } from './request-transaction.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where it is: a worker thread opens its own connection to the same book. */
  readonly location: StoreLocation;
  /** Holds one transaction around a piece of work: see RequestTransaction. */
  begin(): Promise<RequestTransaction>;
  close(): Promise<void>;
  /** PostgreSQL's connection pool now (SQLite has one connection, always there). */
  pool?(): { readonly total: number; readonly idle: number; readonly waiting: number };
}

export type StoreLocation =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | { readonly dialect: 'postgres'; readonly url: string; readonly searchPath?: string };

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/** int8 and whole-number numeric (SUM of bigint) come back from pg as strings: make them safe numbers. */
function parseWholeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`database returned ${text}, not a safe integer`);
  return value;
}

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return parseWholeNumber;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

const giveUpWhenBusy = new AsyncLocalStorage<true>();

/**
 * Runs `work`, whose SQLite writes (a transaction's begin, or a statement of its own) fail at once
 * (SQLITE_BUSY, `isStoreBusy`) when another connection holds the write lock, instead of waiting for
 * it. For background writers that try again on their next round (the webhook dispatcher, a job's
 * progress): SQLite waits for its lock synchronously, and while a worker thread's import held it,
 * the dispatcher's wait held every request of the server. No effect on PostgreSQL.
 */
export function withoutWaiting<T>(work: () => Promise<T>): Promise<T> {
  return giveUpWhenBusy.run(true, work);
}

/** Whether an error is SQLite's "the write lock is another connection's". */
export function isStoreBusy(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_BUSY';
}

/**
 * Transactions take SQLite's write lock when they begin (BEGIN IMMEDIATE), not at their first
 * write: a read-then-write transaction can then never fail half-way because another process
 * (the CLI beside the server) wrote in between; it waits for the lock instead (busy_timeout).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #chunked = new WeakMap<DatabaseConnection, DatabaseConnection>();

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    let chunked = this.#chunked.get(connection);
    if (!chunked) {
      chunked = chunkedStreams(connection, this.#database);
      this.#chunked.set(connection, chunked);
    }
    return chunked;
  }

  readonly #database: CachingDatabase;
  constructor(config: ConstructorParameters<typeof SqliteDriver>[0]) {
    super(config);
    this.#database = config.database as CachingDatabase;
  }
}

/**
 * The connection Kysely is handed. Kysely's own streams a row at a time, each through several async
 * generators: a million invoices took 7 s; this one hands out `chunkSize` rows a step, read
 * synchronously. Under `withoutWaiting` its statements do not wait for the write lock.
 */
function chunkedStreams(connection: DatabaseConnection, database: CachingDatabase): DatabaseConnection {
  return {
    executeQuery(query) {
      if (!giveUpWhenBusy.getStore()) return connection.executeQuery(query);
      // The statement runs when called: the timeout is 0 for it alone, back before anything else runs.
      database.pragma('busy_timeout = 0');
      try {
        return connection.executeQuery(query);
      } finally {
        database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
    },
    async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
      const rows = (database.prepare(query.sql) as unknown as SQLite.Statement).iterate(
        ...(query.parameters as unknown[]),
      ) as IterableIterator<R>;
      let chunk: R[] = [];
      for (const row of rows) {
        chunk.push(row);
        if (chunk.length >= (chunkSize ?? 1)) {
          yield { rows: chunk };
          chunk = [];
        }
      }
      if (chunk.length > 0) yield { rows: chunk };
    },
  };
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

const STATEMENT_CACHE_SIZE = 500;
/** How long a write on SQLite waits for another connection's lock before it fails. */
const BUSY_TIMEOUT_MS = 5_000;

/** Kysely's view of the database, and its pragmas (`withoutWaiting` sets the busy timeout per statement). */
type CachingDatabase = SqliteDatabase & { pragma(source: string): unknown };

/**
 * better-sqlite3 compiles SQL on every prepare(), and Kysely prepares every query it runs. The
 * same few hundred statements recur (only their parameters change), so compiled statements are
 * kept in a small LRU cache; preparing was the largest single cost of an order check.
 */
function withStatementCache(database: SQLite.Database): CachingDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    pragma: (source) => database.pragma(source),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

export function openStore(location: StoreLocation): Store {
  if (location.dialect === 'sqlite') {
    if (location.file !== ':memory:') mkdirSync(dirname(location.file), { recursive: true });
    const sqlite = new SQLite(location.file);
    // WAL lets readers run beside the one writer. FULL syncs the log at every commit: an order
    // answered 201 survives a power cut, not only a crash of the process (NORMAL's promise). The
    // order desk's group commit pays one sync per run of orders: measured 8.3k → 7.4k orders/s.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // 64 MiB page cache: bulk imports and whole-book aging touch large indexes.
    sqlite.pragma('cache_size = -65536');
    // Statement journals (a multi-row insert inside a transaction) in memory, not a temporary
    // file: order desk 80 → 70 µs an order, a third less system time.
    sqlite.pragma('temp_store = MEMORY');
    const checkpointer = location.file === ':memory:' ? null : startCheckpointer(location.file);
    if (checkpointer) sqlite.pragma('wal_autocheckpoint = 20000');
    const { dialect, begin } = holdingDialect(
      new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
    );
    const db = new Kysely<Database>({ dialect });
    return {
      db,
      dialect: 'sqlite',
      location,
      begin,
      async close() {
        await checkpointer?.stop();
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: location.url,
    max: 10,
    types: pgTypes,
    ...(location.searchPath ? { options: `-c search_path=${location.searchPath}` } : {}),
  });
  const { dialect, begin } = holdingDialect(new PostgresDialect({ pool }));
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    dialect: 'postgres',
    location,
    begin,
    close: () => db.destroy(),
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
