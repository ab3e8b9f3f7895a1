import type { Kysely } from 'kysely';

/** API keys (I1): when each was last used, and the end of a rotated key's grace period. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('last_used_at', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('expires_at', 'text').execute();
}
