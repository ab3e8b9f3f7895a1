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
