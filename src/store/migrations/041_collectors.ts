import type { Kysely } from 'kysely';

/**
 * Who works each account in collections (the collector, by username): the worklist is per
 * collector, as SAP's collection specialists and HighRadius's analysts each have their own.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('collector', 'text').execute();
  await db.schema.createIndex('customers_collector').on('customers').column('collector').execute();
}
