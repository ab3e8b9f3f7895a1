import type { Executor } from './write.js';
import { insertChunked } from './write.js';

/** One change to a record: who, what, when, and the record before and after. */
export interface AuditEntry {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** Appends in the caller's transaction, so a change and its audit event commit or fail together. */
export async function appendAudit(
  executor: Executor,
  actor: string,
  occurredAt: string,
  entries: readonly AuditEntry[],
): Promise<void> {
  await insertChunked(
    executor,
    'audit_events',
    entries.map((e) => ({
      occurred_at: occurredAt,
      actor,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      before_json: e.before === null || e.before === undefined ? null : JSON.stringify(e.before),
      after_json: e.after === null || e.after === undefined ? null : JSON.stringify(e.after),
    })),
  );
}
