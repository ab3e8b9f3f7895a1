import type { Insertable, Kysely, Transaction } from 'kysely';
import { DomainError } from '../core/errors.js';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

// SQLite allows 32,766 bound parameters per statement and PostgreSQL 65,535: stay under both.
const MAX_PARAMETERS = 30_000;
const MAX_ROWS_PER_STATEMENT = 1_000;

/** Inserts any number of rows in statements small enough for either dialect. */
export async function insertChunked<T extends keyof Database & string>(
  executor: Executor,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  onProgress?: (inserted: number, total: number) => void,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first).length;
  const size = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns)));
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    // Kysely cannot narrow a generic table's insert type; the rows are typed by the signature.
    await executor
      .insertInto(table)
      .values(chunk as never)
      .execute();
    onProgress?.(start + chunk.length, rows.length);
  }
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
