import type { Selectable } from 'kysely';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import {
  latestRegimeChange,
  type PolicyReviewReason,
  policyReviewsDue,
} from '../../core/reviews/policy-review.js';
import { appendAudit } from '../../store/audit.js';
import type { PolicyReviewTable } from '../../store/schema.js';
import { economicCycle } from '../cycle/cycle-readings.js';
import { bookAppetite } from '../portfolio/appetite.js';
import type { Actor, Services } from '../services.js';

function view(row: Selectable<PolicyReviewTable>) {
  return {
    id: row.id,
    reason: row.reason as PolicyReviewReason,
    subject: row.subject,
    facts: JSON.parse(row.facts_json) as Record<string, string | number | null>,
    raisedOn: row.raised_on,
    dueOn: row.due_on,
    status: row.status as 'open' | 'done',
    outcome: row.outcome,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
  };
}

/** The appetite measures breached today; none when the book cannot be measured (a currency with no rate). */
async function breaches(services: Services) {
  try {
    return (await bookAppetite(services)).measures.filter((m) => m.breached);
  } catch (error) {
    if (error instanceof DomainError) return [];
    throw error;
  }
}

/**
 * Raises the policy reviews due today (H3), as the daily monitoring run does: an appetite measure
 * breached (again once its last review closed), a change of the economic cycle's regime, and the
 * quarter's review. Each raise is audited.
 */
export async function raisePolicyReviews(services: Services, actor: Actor) {
  const { db } = services.store;
  const today = services.clock.today();
  const rows = await db.selectFrom('policy_reviews').select(['reason', 'subject', 'status']).execute();
  // A breach is raised again after its review closed; a regime change and a quarter, once.
  const raised = new Set(
    rows
      .filter((r) => r.status === 'open' || r.reason !== 'appetite_breach')
      .map((r) => `${r.reason}:${r.subject}`),
  );
  const cycle = await economicCycle(db, today);
  const due = policyReviewsDue({
    day: today,
    breaches: await breaches(services),
    regimeChange: latestRegimeChange(cycle.items, today),
    raised,
  });
  const now = services.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const review of due) {
      const row = {
        id: services.ids.next('prv'),
        reason: review.reason,
        subject: review.subject,
        facts_json: JSON.stringify(review.facts),
        raised_on: today,
        due_on: review.dueOn,
        status: 'open',
        outcome: null,
        closed_by: null,
        closed_at: null,
      };
      await trx.insertInto('policy_reviews').values(row).execute();
      await appendAudit(trx, actor, now, [
        {
          action: 'policy_review.raised',
          entityType: 'policy_review',
          entityId: row.id,
          before: null,
          after: view(row),
        },
      ]);
    }
  });
  return { raised: due.length };
}

export async function listPolicyReviews(services: Services, input: { status?: string } = {}) {
  const rows = await services.store.db
    .selectFrom('policy_reviews')
    .selectAll()
    .$if(input.status !== undefined, (q) => q.where('status', '=', input.status as string))
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  return { items: rows.map(view) };
}

/** Closes a policy review with what was decided (the policy kept, or a draft made: say which). */
export async function completePolicyReview(
  services: Services,
  actor: Actor,
  id: string,
  input: { outcome: string },
) {
  const outcome = requireText(input.outcome ?? '', 'outcome', 2000);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('policy_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new DomainError('policy_review_not_found', `policy review ${id} does not exist`);
    if (before.status !== 'open')
      throw new DomainError('policy_review_closed', `policy review ${id} is closed already`);
    const after = { ...before, status: 'done', outcome, closed_by: actor, closed_at: now };
    await trx
      .updateTable('policy_reviews')
      .set({ status: 'done', outcome, closed_by: actor, closed_at: now })
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, actor, now, [
      {
        action: 'policy_review.completed',
        entityType: 'policy_review',
        entityId: id,
        before: view(before),
        after: view(after),
      },
    ]);
    return view(after);
  });
}
