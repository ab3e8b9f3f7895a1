import { type Kysely, sql } from 'kysely';

/**
 * E-mail for notifications (I4): each person's address, language and whether they want the daily
 * digest; and each digest sent, one a person a day (a second run the same day sends nothing).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('email', 'text')
    .addColumn('language', 'text', (c) => c.notNull().check(sqlIn(['en', 'zh-CN'])))
    .addColumn('daily_digest', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('notification_digests')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('sent_on', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('items_json', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_digests_pk', ['user_id', 'sent_on'])
    .execute();
}

const sqlIn = (values: readonly string[]) => sql`language in (${sql.join(values.map((v) => sql.lit(v)))})`;
