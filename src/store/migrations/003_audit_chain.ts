import { type Kysely, sql } from 'kysely';
import { type ChainEntry, entryText, GENESIS_HASH, type Hasher } from '../../core/audit/chain.js';
import type { Dialect } from '../db.js';

const CHUNK = 5_000;

/** Links the audit events written so far into the hash chain, then guards the table. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>, dialect: Dialect, hash: Hasher): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('prev_hash', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('hash', 'text').execute();
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  let prevHash = GENESIS_HASH;
  let seq = 0;
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(CHUNK)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      // Renumber without gaps: the chain's positions are 1, 2, 3 …
      seq += 1;
      const entry: Omit<ChainEntry, 'hash'> = {
        seq,
        occurredAt: row.occurred_at,
        actor: row.actor,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        beforeJson: row.before_json,
        afterJson: row.after_json,
        prevHash,
      };
      const own = hash(entryText(entry));
      await db
        .updateTable('audit_events')
        .set({ seq, prev_hash: prevHash, hash: own })
        .where('seq', '=', row.seq)
        .execute();
      prevHash = own;
    }
    after = Number(rows.at(-1)?.seq);
  }
  await db.insertInto('audit_head').values({ id: 1, seq, hash: prevHash }).execute();
  if (dialect === 'postgres') {
    // The database itself refuses edits and deletions of audit rows, whatever the client.
    await sql`create function fulcrum_audit_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_events is append-only'; end $$`.execute(db);
    await sql`create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function fulcrum_audit_append_only()`.execute(db);
  }
}
