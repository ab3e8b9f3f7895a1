import type { Kysely } from 'kysely';

/** When each person last looked at their notifications (I4): what came after is unread. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification_marks')
    .addColumn('principal', 'text', (c) => c.primaryKey())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();
}
