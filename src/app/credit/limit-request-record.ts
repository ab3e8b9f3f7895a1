import type { Selectable } from 'kysely';
import { DomainError } from '../../core/errors.js';
import type { ReleaseTier } from '../../core/limits/limits.js';
import type { Dialect } from '../../store/db.js';
import type { LimitRequestTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';

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

/** A pending limit request, locked for deciding on it; anything else is a clear error. */
export async function lockPendingRequest(trx: Executor, dialect: Dialect, requestId: string) {
  const request = await forUpdate(
    trx.selectFrom('limit_requests').selectAll().where('id', '=', requestId),
    dialect,
  ).executeTakeFirst();
  if (!request) throw new DomainError('limit_request_not_found', `limit request ${requestId} does not exist`);
  if (request.status !== 'pending')
    throw new DomainError('limit_request_decided', `limit request ${requestId} is already ${request.status}`);
  return request;
}
