import { CompiledQuery, type Insertable, type Kysely, type Transaction } from 'kysely';
import { DomainError } from '../core/errors.js';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

// SQLite allows 32,766 bound parameters per statement and PostgreSQL 65,535: stay under both.
const MAX_PARAMETERS = 30_000;
const MAX_ROWS_PER_STATEMENT = 1_000;

/**
 * Inserts any number of rows in statements small enough for either dialect. Kysely builds and
 * compiles the statement for the first chunk of each size; later chunks of that size reuse its SQL
 * with their own values, which saves building a syntax tree of every value of a bulk write.
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
  const size = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length)));
  const compiled = new Map<number, string>();
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    const parameters = valuesOf(chunk, columns);
    const text = compiled.get(chunk.length);
    if (text && parameters) {
      await executor.executeQuery(CompiledQuery.raw(text, parameters));
    } else {
      // Kysely cannot narrow a generic table's insert type; the rows are typed by the signature.
      const query = executor
        .insertInto(table)
        .values(chunk as never)
        .compile();
      // Reused only when Kysely bound exactly these values in this order.
      if (parameters && sameValues(query.parameters, parameters)) compiled.set(chunk.length, query.sql);
      await executor.executeQuery(query);
    }
    onProgress?.(start + chunk.length, rows.length);
  }
}

/** The chunk's values row by row in column order, or null when a row has other columns or an undefined. */
function valuesOf(chunk: readonly object[], columns: readonly string[]): unknown[] | null {
  const values: unknown[] = [];
  for (const row of chunk) {
    const record = row as Record<string, unknown>;
    if (Object.keys(record).length !== columns.length) return null;
    for (const column of columns) {
      const value = record[column];
      if (value === undefined) return null;
      values.push(value);
    }
  }
  return values;
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** PostgreSQL takes row locks; SQLite's single writer already serialises the transaction. */
export function forUpdate<Q extends { forUpdate(): Q }>(query: Q, dialect: Dialect): Q {
  return dialect === 'postgres' ? query.forUpdate() : query;
}

/** Turns a unique-constraint violation that slipped past the checks (a race) into a clean 409. */
export function translateConstraintError(error: unknown): never {
  const e = error as { code?: string; message?: string };
  if (
    e.code === '23505' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  ) {
    throw new DomainError(
      'duplicate_external_id',
      'a record with this external id already exists',
      'externalId',
    );
  }
  throw error;
}
