import type { Insertable, Selectable } from 'kysely';
import { appendAudit } from '../store/audit.js';
import type { Database } from '../store/schema.js';
import { type Executor, insertChunked } from '../store/write.js';
import { idsByExternalId } from './lookup.js';
import { rejectDuplicateIds } from './row-errors.js';
import type { Actor, Progress } from './services.js';

/** Rejects external ids already in the table, or repeated within the batch, naming each row. */
export async function rejectTakenExternalIds(
  trx: Executor,
  table: Parameters<typeof idsByExternalId>[1],
  externalIds: readonly string[],
): Promise<void> {
  const existing = await idsByExternalId(trx, table, externalIds);
  rejectDuplicateIds(externalIds, new Set(existing.keys()));
}

export interface CreationAudit {
  readonly actor: Actor;
  readonly now: string;
  /** e.g. `invoice.created`; the entity type is the part before the dot. */
  readonly action: string;
}

/** Inserts new records and a `…created` audit event for each, in the caller's transaction. */
export async function insertAudited<T extends keyof Database & string, R extends { id: string }>(
  trx: Executor,
  table: T,
  rows: readonly (Insertable<Database[T]> & Selectable<Database[T]>)[],
  toRecord: (row: Selectable<Database[T]>) => R,
  audit: CreationAudit,
  onProgress?: Progress,
): Promise<R[]> {
  await insertChunked(trx, table, rows, onProgress);
  const records = rows.map((row) => toRecord(row));
  const entityType = audit.action.split('.')[0] ?? table;
  await appendAudit(
    trx,
    audit.actor,
    audit.now,
    records.map((r) => ({ action: audit.action, entityType, entityId: r.id, before: null, after: r })),
  );
  return records;
}

/** One new record and its `…created` audit event, in the caller's transaction. */
export async function insertOneAudited<T extends keyof Database & string, R extends { id: string }>(
  trx: Executor,
  table: T,
  row: Insertable<Database[T]> & Selectable<Database[T]>,
  toRecord: (row: Selectable<Database[T]>) => R,
  audit: CreationAudit,
): Promise<R> {
  const [record] = await insertAudited(trx, table, [row], toRecord, audit);
  if (!record) throw new Error(`no record written to ${table}`);
  return record;
}
