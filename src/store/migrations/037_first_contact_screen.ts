import type { Kysely } from 'kysely';

/**
 * The screen every new customer gets at first contact (A1): its outcome and reasons on the credit
 * profile. Customers from before have none: unscreened until someone reviews them.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('credit_profiles').addColumn('screen_outcome', 'text').execute();
  await db.schema.alterTable('credit_profiles').addColumn('screen_reasons_json', 'text').execute();
}
