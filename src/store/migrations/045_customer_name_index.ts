import type { Kysely } from 'kysely';

/** The customer list sorted by name, a page at a time from any point (keyset on name, id). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('customers_name').on('customers').columns(['name', 'id']).execute();
}
