import type { Kysely } from 'kysely';

/**
 * E-mail as things arrive (I4), beside the daily digest: whether a person wants it, and the moment
 * up to which what waited for them has been mailed (the next e-mail says only what came after).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('notification_settings')
    .addColumn('immediate', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('notification_settings').addColumn('mailed_until', 'text').execute();
}
