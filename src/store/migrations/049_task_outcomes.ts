import type { Kysely } from 'kysely';

/** What came of a collector's task (reached, promised to pay, no answer…) beside its note. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('collection_tasks').addColumn('done_outcome', 'text').execute();
}
