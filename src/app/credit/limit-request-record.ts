import type { Selectable } from 'kysely';
import type { ReleaseTier } from '../../core/limits/limits.js';
import type { LimitRequestTable } from '../../store/schema.js';

export function limitRequestRecord(row: Selectable<LimitRequestTable>) {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    kind: row.kind,
    amountMinor: row.amount_minor,
    currency: row.currency,
    startsOn: row.starts_on,
    expiresOn: row.expires_on,
    tiers: row.tiers_json ? (JSON.parse(row.tiers_json) as ReleaseTier[]) : null,
    previousMinor: row.previous_minor,
    reason: row.reason,
    status: row.status,
    requestedBy: row.requested_by,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    createdAt: row.created_at,
  };
}
