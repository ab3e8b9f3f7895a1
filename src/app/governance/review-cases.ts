import type { Selectable } from 'kysely';
import type { NoticeLanguage } from '../../core/collections/notices.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import {
  adverseReasonCodes,
  CONTESTABLE_OUTCOMES,
  decisionNotice,
} from '../../core/policy/decision-notice.js';
import type { Decision } from '../../core/policy/types.js';
import { appendAudit } from '../../store/audit.js';
import { type PageRequest, paginate, sortOf } from '../../store/page.js';
import type { OrderTable, ReviewCaseTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';
import { assertOrderFound } from '../credit/place-order.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';

const CONTESTABLE = new Set<string>(CONTESTABLE_OUTCOMES);

function storedDecision(order: Selectable<OrderTable>): Decision {
  if (!order.decision_json)
    throw new DomainError('no_decision', `order ${order.id} was imported without a credit decision`);
  return JSON.parse(order.decision_json) as Decision;
}

async function orderOf(executor: Executor, orderId: string) {
  return assertOrderFound(
    await executor.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst(),
    orderId,
  );
}

/** The customer-facing letter for an order's decision, in the customer's language. */
export async function orderDecisionNotice(services: Services, orderId: string, language: NoticeLanguage) {
  const { db } = services.store;
  const order = await orderOf(db, orderId);
  const decision = storedDecision(order);
  const customer = await db
    .selectFrom('customers')
    .select('name')
    .where('id', '=', order.customer_id)
    .executeTakeFirstOrThrow();
  // A held order someone decided since says what they decided, not what the check said.
  const outcome =
    order.decided_by === null ? decision.outcome : order.status === 'rejected' ? 'rejected' : 'released';
  const notice = decisionNotice(
    {
      customerName: customer.name,
      orderReference: order.external_id,
      amountMinor: order.amount_minor,
      currency: order.currency as CurrencyCode,
      outcome,
      reasons: decision.reasons,
    },
    language,
  );
  return {
    orderId,
    language,
    outcome,
    reasonCodes: outcome === 'released' ? [] : adverseReasonCodes(decision.reasons),
    ...notice,
  };
}

export function reviewCaseRecord(row: Selectable<ReviewCaseTable>) {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    customerId: row.customer_id,
    contestedOutcome: row.contested_outcome,
    reasonCodes: JSON.parse(row.reason_codes_json) as string[],
    grounds: row.grounds,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    status: row.status,
    outcome: row.outcome,
    decisionNote: row.decision_note,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
  };
}

/** A contest of an order's decision opens a case for a person to review; one open case per order. */
export async function contestOrder(services: Services, actor: Actor, orderId: string, grounds: string) {
  const text = requireText(grounds, 'grounds', 2000);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const order = await orderOf(trx, orderId);
    const decision = storedDecision(order);
    if (!CONTESTABLE.has(decision.outcome))
      throw new DomainError('not_contestable', `order ${orderId} was approved as placed: nothing to contest`);
    const open = await trx
      .selectFrom('review_cases')
      .select('id')
      .where('subject_type', '=', 'order')
      .where('subject_id', '=', orderId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open)
      throw new DomainError(
        'already_contested',
        `order ${orderId} is already under review in case ${open.id}`,
      );
    const row: Selectable<ReviewCaseTable> = {
      id: services.ids.next('rvw'),
      subject_type: 'order',
      subject_id: orderId,
      customer_id: order.customer_id,
      contested_outcome: decision.outcome,
      reason_codes_json: JSON.stringify(decision.reasons.map((r) => r.code)),
      grounds: text,
      opened_by: actor,
      opened_at: now,
      status: 'open',
      outcome: null,
      decision_note: null,
      decided_by: null,
      decided_at: null,
    };
    return insertOneAudited(trx, 'review_cases', row, reviewCaseRecord, {
      actor,
      now,
      action: 'review_case.opened',
    });
  });
}

/**
 * A reviewer upholds or overturns the contested decision, with reasons. Neither whoever contested
 * nor whoever decided the order may review it. Overturning records the finding; the order itself
 * then moves through the queue (release) under the authority matrix like any other.
 */
export async function decideReviewCase(
  services: Services,
  reviewer: Actor,
  caseId: string,
  input: { outcome: 'upheld' | 'overturned'; note: string },
) {
  const note = requireText(input.note, 'note', 2000);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const row = await forUpdate(
      trx.selectFrom('review_cases').selectAll().where('id', '=', caseId),
      services.store.dialect,
    ).executeTakeFirst();
    if (!row) throw new DomainError('review_case_not_found', `review case ${caseId} does not exist`);
    if (row.status !== 'open')
      throw new DomainError('review_case_decided', `review case ${caseId} is already decided`);
    const order = await orderOf(trx, row.subject_id);
    if (reviewer === row.opened_by || reviewer === order.decided_by || reviewer === order.requested_by)
      throw new DomainError(
        'four_eyes_violation',
        'a review is done by someone not involved in the order or the contest',
      );
    const after = {
      ...row,
      status: 'decided',
      outcome: input.outcome,
      decision_note: note,
      decided_by: reviewer,
      decided_at: now,
    };
    await trx
      .updateTable('review_cases')
      .set({
        status: 'decided',
        outcome: input.outcome,
        decision_note: note,
        decided_by: reviewer,
        decided_at: now,
      })
      .where('id', '=', caseId)
      .execute();
    const record = reviewCaseRecord(after);
    await appendAudit(trx, reviewer, now, [
      {
        action: `review_case.${input.outcome}`,
        entityType: 'review_case',
        entityId: caseId,
        before: reviewCaseRecord(row),
        after: record,
      },
    ]);
    return record;
  });
}

export const REVIEW_CASE_SORTS = ['openedAt'] as const;

/** Review cases, oldest first unless sorted otherwise, a page at a time. */
export async function listReviewCases(
  executor: Executor,
  filter: PageRequest & { status?: 'open' | 'decided'; sort?: string },
) {
  let q = executor.selectFrom('review_cases').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  return paginate(
    q,
    'review_cases.id',
    filter,
    reviewCaseRecord,
    sortOf(filter.sort ?? 'openedAt', {
      openedAt: { column: 'review_cases.opened_at', valueOf: (r) => r.opened_at },
    }),
  );
}
