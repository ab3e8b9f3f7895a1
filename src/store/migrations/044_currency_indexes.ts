import type { Kysely } from 'kysely';

/**
 * The currencies in use by index: the report currency (the book's one currency, or the base when
 * there are several) is then the smallest and largest currency of customers and invoices, four
 * index seeks, where a distinct list walked every invoice (60 ms on a million-invoice book, for
 * every report that converts).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('invoices_currency').on('invoices').column('currency').execute();
  await db.schema.createIndex('customers_currency').on('customers').column('currency').execute();
}
