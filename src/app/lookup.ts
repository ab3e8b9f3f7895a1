import type { Database } from '../store/schema.js';
import { chunkOf, type Executor } from '../store/write.js';

type TableWithExternalId =
  | 'customers'
  | 'customer_groups'
  | 'invoices'
  | 'payments'
  | 'credit_notes'
  | 'orders';

// Keeps IN (…) lists well under both dialects' parameter limits.
const LOOKUP_CHUNK = 5_000;

/** Maps external ids to internal ids for the ones that exist. */
export async function idsByExternalId(
  executor: Executor,
  table: TableWithExternalId & keyof Database,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(externalIds)];
  const found = new Map<string, string>();
  for (const chunk of chunkOf(unique, LOOKUP_CHUNK)) {
    const rows = await executor
      .selectFrom(table)
      .select(['id', 'external_id'])
      .where('external_id', 'in', chunk)
      .execute();
    for (const row of rows) found.set(row.external_id, row.id);
  }
  return found;
}

/** Customers' names and external ids by id, for the ones that exist: lists and reports show names, not ids. */
export async function customerNames(
  executor: Executor,
  ids: readonly string[],
): Promise<Map<string, { name: string; externalId: string }>> {
  const names = new Map<string, { name: string; externalId: string }>();
  for (const chunk of chunkOf([...new Set(ids)], LOOKUP_CHUNK))
    for (const c of await executor
      .selectFrom('customers')
      .select(['id', 'name', 'external_id'])
      .where('id', 'in', chunk)
      .execute())
      names.set(c.id, { name: c.name, externalId: c.external_id });
  return names;
}
