import type { Selectable } from 'kysely';
import { requireText } from '../../core/customers/customer.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import {
  assertMaySignOff,
  missingSignOffs,
  needsCommittee,
  type SignOff,
} from '../../core/policy/committee.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { type AuditEntry, appendAudit } from '../../store/audit.js';
import type { LimitRequestSignOffTable, LimitRequestTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import type { Services } from '../services.js';
import { type Approver, baseAmountMinor } from './authority.js';
import { limitRequestRecord, lockPendingRequest } from './limit-request-record.js';
import { activePolicy } from './policies.js';

const signOffRecord = (row: Selectable<LimitRequestSignOffTable>): SignOff & { signedAt: string } => ({
  role: row.role,
  actor: row.actor,
  decision: row.decision as SignOff['decision'],
  note: row.note,
  signedAt: row.signed_at,
});

export async function signOffsOf(executor: Executor, requestId: string) {
  const rows = await executor
    .selectFrom('limit_request_sign_offs')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('signed_at')
    .orderBy('id')
    .execute();
  return rows.map(signOffRecord);
}

/** Where a request stands with the committee: whether it needs one, who signed, who has yet to. */
export async function committeeView(
  executor: Executor,
  request: Selectable<LimitRequestTable>,
  today: BusinessDate,
) {
  const rule = (await activePolicy(executor)).committee;
  const base = await baseAmountMinor(executor, request.amount_minor, request.currency as CurrencyCode, today);
  const signOffs = await signOffsOf(executor, request.id);
  const required = rule !== null && needsCommittee(rule, base);
  return { required, signOffs, missing: required && rule ? missingSignOffs(rule, signOffs) : [], base, rule };
}

/**
 * A committee member's sign-off on a pending limit request. A rejection, with its reasons, ends
 * the request at once; approvals wait until every committee role has signed, and then for an
 * approver with the authority.
 */
export async function signOffLimitRequest(
  services: Services,
  signer: Approver,
  requestId: string,
  input: { decision: 'approve' | 'reject'; note: string },
) {
  const note = requireText(input.note, 'note', 1000);
  const now = services.clock.now().toISOString();
  const today = services.clock.today();
  return services.store.db.transaction().execute(async (trx) => {
    const request = await lockPendingRequest(trx, services.store.dialect, requestId);
    const view = await committeeView(trx, request, today);
    assertMaySignOff(view.rule, signer, request.requested_by, view.signOffs, view.base);
    const row = {
      id: services.ids.next('sgn'),
      request_id: requestId,
      role: signer.role,
      actor: signer.actor,
      decision: input.decision,
      note,
      signed_at: now,
    };
    await trx.insertInto('limit_request_sign_offs').values(row).execute();
    const events: AuditEntry[] = [
      {
        action: `limit_request.committee_${input.decision === 'approve' ? 'approved' : 'rejected'}`,
        entityType: 'limit_request',
        entityId: requestId,
        before: null,
        after: signOffRecord(row),
      },
    ];
    let after = request;
    if (input.decision === 'reject') {
      after = {
        ...request,
        status: 'rejected',
        decided_by: signer.actor,
        decided_at: now,
        decision_note: note,
      };
      await trx
        .updateTable('limit_requests')
        .set({ status: 'rejected', decided_by: signer.actor, decided_at: now, decision_note: note })
        .where('id', '=', requestId)
        .execute();
      events.push({
        action: 'limit_request.rejected',
        entityType: 'limit_request',
        entityId: requestId,
        before: limitRequestRecord(request),
        after: limitRequestRecord(after),
      });
    }
    await appendAudit(trx, signer.actor, now, events);
    const signOffs = [...view.signOffs, signOffRecord(row)];
    return {
      request: limitRequestRecord(after),
      committee: {
        required: true,
        signOffs,
        missing: view.rule ? missingSignOffs(view.rule, signOffs) : [],
      },
    };
  });
}

/** Pending requests that wait for a sign-off from the caller's committee role. */
export async function committeeInbox(services: Services, role: string) {
  const { db } = services.store;
  const rule = (await activePolicy(db)).committee;
  if (!rule?.roles.includes(role)) return [];
  const pending = await db
    .selectFrom('limit_requests')
    .selectAll()
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .execute();
  const items = [];
  for (const request of pending) {
    const view = await committeeView(db, request, services.clock.today());
    if (view.required && view.missing.includes(role))
      items.push({
        request: limitRequestRecord(request),
        committee: { required: true, signOffs: view.signOffs, missing: view.missing },
      });
  }
  return items;
}
