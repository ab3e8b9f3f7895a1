import type { SelectQueryBuilder } from 'kysely';
import { DomainError } from '../core/errors.js';
import type { Database } from './schema.js';

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 500;

export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Cursors are opaque to clients: the last id seen, base64url-encoded. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`id:${lastId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('id:') || text.length < 4) {
    throw new DomainError('invalid_cursor', 'cursor is not one this server returned', 'cursor');
  }
  return text.slice(3);
}

/**
 * Keyset pagination by id (ids sort in creation order): stable under concurrent inserts and as
 * fast on page 1,000 as on page 1.
 */
export async function paginate<T extends keyof Database & string, Row extends { id: string }, R>(
  query: SelectQueryBuilder<Database, T, Row>,
  idColumn: `${T}.id`,
  request: PageRequest,
  toRecord: (row: Row) => R,
): Promise<Page<R>> {
  const limit = Math.min(request.limit ?? PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
  let q = query.orderBy(idColumn as never).limit(limit + 1);
  if (request.cursor !== undefined)
    q = q.where(idColumn as never, '>', decodeCursor(request.cursor) as never);
  const rows = await q.execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => toRecord(row)),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}
