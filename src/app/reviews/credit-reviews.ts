import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import type { RiskClass } from '../../core/rating/risk-class.js';
import {
  DEFAULT_REVIEW_CYCLE_MONTHS,
  LIMIT_DECISIONS,
  type LimitDecision,
  nextReviewOn,
  reviewDue,
} from '../../core/reviews/review-cycle.js';
import { addDays, type BusinessDate, parseBusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { CreditReviewTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import { activePolicy } from '../credit/policies.js';
import type { Actor, Services } from '../services.js';

export interface ReviewInput {
  readonly findings: string;
  readonly limitDecision: string;
  readonly reviewedOn?: string;
  /** Earlier than the cycle would set, when the findings call for it. */
  readonly nextReviewOn?: string;
}

function reviewRecord(row: CreditReviewTable) {
  return {
    id: row.id,
    customerId: row.customer_id,
    reviewedOn: row.reviewed_on,
    riskClass: row.risk_class,
    findings: row.findings,
    limitDecision: row.limit_decision as LimitDecision,
    nextReviewOn: row.next_review_on,
    reviewedBy: row.reviewed_by,
    createdAt: row.created_at,
  };
}

/** The cycle in force: the active policy's, else the default one. */
export async function cycleMonths(executor: Executor) {
  return (await activePolicy(executor)).document.reviews?.cycleMonths ?? DEFAULT_REVIEW_CYCLE_MONTHS;
}

/**
 * Records a periodic credit review (D3): findings, what it meant for the limit (a change itself goes
 * through a limit request), and the next review's date — a cycle of the customer's risk class later
 * unless the reviewer sets it sooner. Kept on the profile, where the order check reads it.
 */
export async function recordReview(services: Services, actor: Actor, customerId: string, input: ReviewInput) {
  const today = services.clock.today();
  const reviewedOn = input.reviewedOn ? parseBusinessDate(input.reviewedOn, 'reviewedOn') : today;
  if (reviewedOn > today)
    throw new DomainError('invalid_date', 'reviewedOn must not be after today', 'reviewedOn');
  if (!(LIMIT_DECISIONS as readonly string[]).includes(input.limitDecision))
    throw new DomainError(
      'invalid_limit_decision',
      `limitDecision must be one of ${LIMIT_DECISIONS.join(', ')}`,
      'limitDecision',
    );
  const findings = requireText(input.findings ?? '', 'findings', 4000);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const profile = await trx
      .selectFrom('credit_profiles')
      .select(['risk_class'])
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (!profile) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
    const riskClass = profile.risk_class as RiskClass;
    const cycle = nextReviewOn(reviewedOn, riskClass, await cycleMonths(trx));
    const next = input.nextReviewOn ? parseBusinessDate(input.nextReviewOn, 'nextReviewOn') : cycle;
    if (next <= reviewedOn || next > cycle)
      throw new DomainError(
        'invalid_date',
        `nextReviewOn must be after the review and no later than ${cycle}`,
        'nextReviewOn',
      );
    const row: CreditReviewTable = {
      id: services.ids.next('rev'),
      customer_id: customerId,
      reviewed_on: reviewedOn,
      risk_class: riskClass,
      findings,
      limit_decision: input.limitDecision as LimitDecision,
      next_review_on: next,
      reviewed_by: actor,
      created_at: now,
    };
    await trx.insertInto('credit_reviews').values(row).execute();
    await trx
      .updateTable('credit_profiles')
      .set({ next_review_on: next, updated_at: now })
      .where('customer_id', '=', customerId)
      .execute();
    const record = reviewRecord(row);
    await appendAudit(trx, actor, now, [
      {
        action: 'credit_review.recorded',
        entityType: 'customer',
        entityId: customerId,
        before: null,
        after: record,
      },
    ]);
    return record;
  });
}

export async function customerReviews(services: Services, customerId: string) {
  const rows = await services.store.db
    .selectFrom('credit_reviews')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('reviewed_on', 'desc')
    .execute();
  return { items: rows.map(reviewRecord) };
}

/**
 * The review calendar: every customer we trade with whose review falls within `withinDays` (or is
 * past), soonest first — never reviewed ones a cycle after they started trading with us.
 */
export async function reviewsDue(services: Services, withinDays = 30) {
  if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 366)
    throw new DomainError('invalid_setting', 'within must be whole days from 0 to 366', 'within');
  const today = services.clock.today();
  const { db } = services.store;
  const cycle = await cycleMonths(db);
  const rows = await db
    .selectFrom('customers as c')
    .innerJoin('credit_profiles as p', 'p.customer_id', 'c.id')
    .select(['c.id', 'c.name', 'c.created_at', 'p.risk_class', 'p.next_review_on', 'p.trading_since'])
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('invoices as i').select('i.id').whereRef('i.customer_id', '=', 'c.id')),
    )
    .execute();
  const horizon = addDays(today, withinDays);
  const items = rows
    .map((r) => {
      const since = (r.trading_since ?? r.created_at.slice(0, 10)) as BusinessDate;
      const due = reviewDue(
        r.next_review_on as BusinessDate | null,
        since,
        r.risk_class as RiskClass,
        today,
        cycle,
      );
      return {
        customerId: r.id,
        customerName: r.name,
        riskClass: r.risk_class,
        lastReviewed: r.next_review_on !== null,
        dueOn: due.dueOn,
        daysOverdue: due.daysOverdue,
      };
    })
    .filter((r) => r.dueOn <= horizon)
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.customerName.localeCompare(b.customerName));
  return { asOf: today, items };
}
