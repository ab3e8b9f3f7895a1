import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from './db.js';

/**
 * `column` is one of `ids`, sent as one JSON parameter however many there are (a list of 50,000
 * placeholders would pass either database's limit on bound parameters).
 */
export function inIdSet(column: string, ids: readonly string[], dialect: Dialect): RawBuilder<boolean> {
  const json = JSON.stringify(ids);
  return dialect === 'postgres'
    ? sql<boolean>`${sql.ref(column)} in (select jsonb_array_elements_text(${json}::jsonb))`
    : sql<boolean>`${sql.ref(column)} in (select value from json_each(${json}))`;
}
