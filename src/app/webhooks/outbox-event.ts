import type { Selectable } from 'kysely';
import type { AuditEventTable } from '../../store/schema.js';

/**
 * What is published of an audit event — to NATS (`fulcrum.out.<entity>`) and to webhooks alike:
 * its sequence (the event id to deduplicate by), what happened to which entity, by whom, when,
 * and the entity as it stood after.
 */
export function outboxEvent(
  e: Pick<
    Selectable<AuditEventTable>,
    'seq' | 'occurred_at' | 'actor' | 'action' | 'entity_type' | 'entity_id' | 'after_json'
  >,
) {
  return {
    seq: Number(e.seq),
    action: e.action,
    entityType: e.entity_type,
    entityId: e.entity_id,
    actor: e.actor,
    occurredAt: e.occurred_at,
    after: e.after_json ? (JSON.parse(e.after_json) as unknown) : null,
  };
}

export const OUTBOX_COLUMNS = [
  'seq',
  'occurred_at',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'after_json',
] as const;
