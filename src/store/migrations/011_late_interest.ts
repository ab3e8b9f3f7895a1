import type { Kysely } from 'kysely';

/** Contract terms for late-payment interest per customer (E7); none until set. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('credit_profiles').addColumn('late_interest_percent', 'real').execute();
  await db.schema.alterTable('credit_profiles').addColumn('interest_grace_days', 'integer').execute();
}
