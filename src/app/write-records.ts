import type { Insertable, Selectable } from 'kysely';
import { type AuditEntry, appendAudit } from '../store/audit.js';
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

/** The audit events of newly written records: `action`'s entity type, nothing before, each record after. */
export function creationEntries(
  table: string,
  action: string,
  records: readonly { readonly id: string }[],
): AuditEntry[] {
  const entityType = action.split('.')[0] ?? table;
  return records.map((r) => ({ action, entityType, entityId: r.id, before: null, after: r }));
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
  await appendAudit(trx, audit.actor, audit.now, creationEntries(table, audit.action, records));
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
