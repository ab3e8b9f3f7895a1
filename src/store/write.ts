import {
  CompiledQuery,
  type Insertable,
  type Kysely,
  PostgresAdapter,
  type RawBuilder,
  sql,
  type Transaction,
} from 'kysely';
import { DomainError } from '../core/errors.js';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

// SQLite allows 32,766 bound parameters per statement and PostgreSQL 65,535: stay under both.
const MAX_PARAMETERS = 30_000;
const MAX_ROWS_PER_STATEMENT = 1_000;

/**
 * Inserts any number of rows in statements small enough for either dialect. On PostgreSQL a chunk
 * of rows travels as one JSON document (json_populate_recordset casts it to the table's types);
 * on SQLite, Kysely builds the statement for the first chunk of each table, columns and size, and
 * every later chunk of that shape — in this call or any other — reuses its SQL with its own values.
 * Both spare building a syntax tree of every value of a bulk write (and of every small write on
 * the order desk's hot path); a chunk whose rows differ in shape goes through Kysely as it is.
 */
export async function insertChunked<T extends keyof Database & string>(
  executor: Executor,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  onProgress?: (inserted: number, total: number) => void,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const postgres = isPostgres(executor);
  const size = postgres
    ? PG_JSON_ROWS
    : Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length)));
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    const uniform = chunk.every((row) => sameShape(row, columns));
    const shape = `${table}(${columns.join(',')})×${chunk.length}`;
    const text = postgres ? undefined : compiledInserts.get(shape);
    if (postgres && uniform) {
      await jsonInsert(table, chunk).execute(executor);
    } else if (text && uniform) {
      await executor.executeQuery(CompiledQuery.raw(text, valuesOf(chunk, columns)));
    } else {
      for (const part of postgres ? chunkOf(chunk, MAX_ROWS_PER_STATEMENT) : [chunk]) {
        // Kysely cannot narrow a generic table's insert type; the rows are typed by the signature.
        const query = executor
          .insertInto(table)
          .values(part as never)
          .compile();
        // Reused only when Kysely bound exactly these values in this order.
        if (!postgres && uniform && sameValues(query.parameters, valuesOf(part, columns))) {
          if (compiledInserts.size >= MAX_COMPILED_INSERTS) compiledInserts.clear();
          compiledInserts.set(shape, query.sql);
        }
        await executor.executeQuery(query);
      }
    }
    onProgress?.(start + chunk.length, rows.length);
  }
}

const PG_JSON_ROWS = 5_000;

/**
 * PostgreSQL: the insert of `rows` — every one with the first one's columns, none undefined — as
 * one JSON document (json_populate_recordset casts it to the table's types), to run alone or to
 * compose into a larger statement.
 */
export function jsonInsert<T extends keyof Database & string>(
  table: T,
  rows: readonly Insertable<Database[T]>[],
): RawBuilder<unknown> {
  const list = sql.join(Object.keys(rows[0] ?? {}).map((c) => sql.ref(c)));
  return sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`;
}

/** SQLite insert statements by shape (table, columns, rows); the SQL does not depend on the store. */
const compiledInserts = new Map<string, string>();
const MAX_COMPILED_INSERTS = 1_000;

/**
 * Kysely keeps the dialect to itself; its adapter says which one this is. (Marked internal in
 * Kysely: should it go, PostgreSQL writes take the portable path, only slower.)
 */
export function isPostgres(executor: Executor): boolean {
  const internal = executor as unknown as { getExecutor?: () => { adapter: unknown } };
  return internal.getExecutor?.().adapter instanceof PostgresAdapter;
}

/**
 * A large read in chunks of rows: streamed on SQLite, so a million rows never stand in memory
 * together (collecting them as one array cost the monitoring run more in garbage collection than
 * in reading); read whole on PostgreSQL, whose driver here has no cursor. SQLite's one connection
 * is held until the last chunk: run no other query inside the loop (it would wait for ever).
 */
export async function* eachChunk<O>(
  executor: Executor,
  query: CompiledQuery<O>,
): AsyncGenerator<readonly O[]> {
  if (isPostgres(executor)) yield (await executor.executeQuery(query)).rows;
  else for await (const result of executor.getExecutor().stream<O>(query, STREAM_CHUNK)) yield result.rows;
}

const STREAM_CHUNK = 1_000;

/** `rows` in slices of at most `size`: what one statement (or one IN list) can carry. */
export function chunkOf<R>(rows: readonly R[], size: number): R[][] {
  const parts: R[][] = [];
  for (let start = 0; start < rows.length; start += size) parts.push(rows.slice(start, start + size));
  return parts;
}

/** The row has exactly these columns, none undefined (Kysely would write DEFAULT for those). */
function sameShape(row: object, columns: readonly string[]): boolean {
  const record = row as Record<string, unknown>;
  return Object.keys(record).length === columns.length && columns.every((c) => record[c] !== undefined);
}

/** The chunk's values row by row in column order. */
function valuesOf(chunk: readonly object[], columns: readonly string[]): unknown[] {
  const values: unknown[] = [];
  for (const row of chunk)
    for (const column of columns) values.push((row as Record<string, unknown>)[column]);
  return values;
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** PostgreSQL takes row locks; SQLite's single writer already serialises the transaction. */
export function forUpdate<Q extends { forUpdate(): Q }>(query: Q, dialect: Dialect): Q {
  return dialect === 'postgres' ? query.forUpdate() : query;
}

/** A unique constraint refused the write (PostgreSQL or SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Turns a unique-constraint violation that slipped past the checks (a race) into a clean 409. */
export function translateConstraintError(error: unknown): never {
  if (isUniqueViolation(error))
    throw new DomainError(
      'duplicate_external_id',
      'a record with this external id already exists',
      'externalId',
    );
  throw error;
}
