import type { Kysely } from 'kysely';

/**
 * Keys used to be claimed in a commit of their own before the write ran: a process killed in
 * between left a claim without an answer, refused as "in progress" forever. Claims now commit
 * with their write and answer; the abandoned ones are removed, so a retry runs afresh.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('status_code', 'is', null).execute();
}
