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

/** A list's order other than by id: a column that is never null, ties broken by id. */
export interface SortOrder<Row> {
  readonly column: string;
  readonly descending: boolean;
  readonly valueOf: (row: Row) => string | number;
}

/**
 * A list's `sort` parameter — a key, `-` first for descending — as the order `paginate` takes,
 * from the columns the list may be sorted by.
 */
export function sortOf<Row>(
  sort: string,
  columns: Readonly<Record<string, { column: string; valueOf: (row: Row) => string | number }>>,
): SortOrder<Row> {
  const { by, descending } = chosenSort(sort, columns);
  return { ...by, descending };
}

/** Which of `orders` a `sort` parameter names (a key, `-` first for descending), and which way. */
export function chosenSort<By>(
  sort: string,
  orders: Readonly<Record<string, By>>,
): { by: By; descending: boolean } {
  const descending = sort.startsWith('-');
  const by = orders[descending ? sort.slice(1) : sort];
  if (by === undefined) throw new DomainError('invalid_sort', `cannot sort by ${sort}`, 'sort');
  return { by, descending };
}

const SORTED_CURSOR = 'k:';

function encodeSortedCursor(value: string | number, lastId: string): string {
  return Buffer.from(SORTED_CURSOR + JSON.stringify([value, lastId]), 'utf8').toString('base64url');
}

function decodeSortedCursor(cursor: string): [string | number, string] {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const refused = () =>
    new DomainError('invalid_cursor', 'cursor is not one this server returned for this order', 'cursor');
  if (!text.startsWith(SORTED_CURSOR)) throw refused();
  try {
    const [value, id] = JSON.parse(text.slice(SORTED_CURSOR.length)) as unknown[];
    if ((typeof value === 'string' || typeof value === 'number') && typeof id === 'string')
      return [value, id];
  } catch {
    // not JSON: refused below
  }
  throw refused();
}

/**
 * Keyset pagination — by id (ids sort in creation order), or by a sort column with the id to break
 * ties: stable under concurrent inserts and as fast on page 1,000 as on page 1 (with an index on
 * the column).
 */
export async function paginate<T extends keyof Database & string, Row extends { id: string }, R>(
  query: SelectQueryBuilder<Database, T, Row>,
  idColumn: `${T}.id`,
  request: PageRequest,
  toRecord: (row: Row) => R,
  sort?: SortOrder<Row>,
): Promise<Page<R>> {
  const limit = Math.min(request.limit ?? PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
  const id = idColumn as never;
  let q = query;
  if (sort) {
    const column = sort.column as never;
    const direction = sort.descending ? 'desc' : 'asc';
    q = q.orderBy(column, direction).orderBy(id, direction);
    if (request.cursor !== undefined) {
      const [value, lastId] = decodeSortedCursor(request.cursor);
      const past = sort.descending ? '<' : '>';
      q = q.where((eb) =>
        eb.or([
          eb(column, past, value as never),
          eb.and([eb(column, '=', value as never), eb(id, past, lastId as never)]),
        ]),
      );
    }
  } else {
    q = q.orderBy(id);
    if (request.cursor !== undefined) q = q.where(id, '>', decodeCursor(request.cursor) as never);
  }
  const rows = await q.limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const more = rows.length > limit && last;
  return {
    items: items.map((row) => toRecord(row)),
    nextCursor: more
      ? sort
        ? encodeSortedCursor(sort.valueOf(last), last.id)
        : encodeCursor(last.id)
      : null,
  };
}

/** A sort key: the value ordered on, then the id that breaks ties. */
export type SortKey = readonly [string | number, string];

/** Ascending by value then id; `descending` turns both round (a cursor then reads the same way). */
export function compareKeys(a: SortKey, b: SortKey, descending: boolean): number {
  const order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  return descending ? -order : order;
}

/**
 * Keyset paging over a list ranked in memory for the request (a worklist): sorted by `keyOf`, the
 * page after the cursor's key — the same cursors as the stores' sorted lists, and as stable when
 * items before the cursor come and go between pages.
 */
export function pageOfRanked<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  descending: boolean,
  request: PageRequest,
): Page<T> {
  const limit = Math.min(request.limit ?? PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
  const sorted = [...items].sort((a, b) => compareKeys(keyOf(a), keyOf(b), descending));
  const after = request.cursor === undefined ? null : decodeSortedCursor(request.cursor);
  const start =
    after === null ? 0 : sorted.findIndex((item) => compareKeys(keyOf(item), after, descending) > 0);
  const page = start < 0 ? [] : sorted.slice(start, start + limit);
  const last = page.at(-1);
  const more = last !== undefined && start + limit < sorted.length;
  return { items: page, nextCursor: more ? encodeSortedCursor(...keyOf(last)) : null };
}
