import { TASK_OUTCOMES } from '../../core/collections/task-outcome.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { groupBy } from '../../core/group-by.js';
import { type BusinessDate, daysBetween } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import { chosenSort, pageOfRanked } from '../../store/page.js';
import { type Executor, forUpdate } from '../../store/write.js';
import { assertConverted, converter, reportCurrency } from '../credit/fx-rates.js';
import type { Actor, Services } from '../services.js';
import { contactRecord } from './contacts.js';
import { activeHolds } from './dunning-holds.js';
import { promiseRecord } from './promises.js';

/** Days past due at which a debt counts as certain to be paid late: the priority weight tops out. */
const FULL_WEIGHT_DAYS = 90;
const WORKLIST_DEFAULT = 200;

export interface WorklistFilter {
  /** One collector's accounts (a username), the unassigned (null), or everyone's (undefined). */
  readonly collector?: string | null;
  /** Customers to a page (default 200). */
  readonly limit?: number;
  readonly cursor?: string;
  /** One of WORKLIST_SORTS, `-` first for descending; the most valuable to work first by default. */
  readonly sort?: string;
}

type WorklistItem = {
  customerId: string;
  customerName: string;
  expectedValueMinor: number;
  overdueMinor: number;
  oldestDaysPastDue: number;
};

/** The orders the day may be read in, each by the value it ranks on (ties by customer id). */
const WORKLIST_ORDERS: Readonly<Record<string, (item: WorklistItem) => string | number>> = {
  expectedValue: (i) => i.expectedValueMinor,
  overdue: (i) => i.overdueMinor,
  daysPastDue: (i) => i.oldestDaysPastDue,
  name: (i) => i.customerName,
};
export const WORKLIST_SORTS = Object.keys(WORKLIST_ORDERS);

/**
 * The collectors' day (E2–E3): open tasks due by `today`, one row per customer, ordered (unless
 * another order is asked) by the
 * expected value of working it — overdue amount (in CNY) × the chance it stays unpaid without a
 * call: the customer's late-payment probability from the scoring model where it has a score, else
 * days past due of the oldest item ÷ 90, capped at 1 — with contacts, open promises and the latest
 * notices.
 */
export async function worklist(executor: Executor, today: BusinessDate, filter: WorklistFilter = {}) {
  let query = executor
    .selectFrom('collection_tasks as t')
    .innerJoin('customers as c', 'c.id', 't.customer_id')
    .select([
      't.id',
      't.customer_id',
      't.kind',
      't.due_on',
      't.reason',
      'c.name',
      'c.sales_owner',
      'c.collector',
    ])
    .where('t.status', '=', 'open')
    .where('t.due_on', '<=', today);
  if (filter.collector === null) query = query.where('c.collector', 'is', null);
  else if (filter.collector !== undefined) query = query.where('c.collector', '=', filter.collector);
  const tasks = await query.orderBy('t.due_on').limit(5_000).execute();
  const customerIds = [...new Set(tasks.map((t) => t.customer_id))];
  const currency = await reportCurrency(executor);
  if (customerIds.length === 0) return { asOf: today, currency, items: [], nextCursor: null };
  const overdue = await executor
    .selectFrom('invoices')
    .select((eb) => [
      'customer_id',
      'currency',
      eb.fn.sum<number>('open_minor').as('open'),
      eb.fn.min('due_date').as('oldest'),
    ])
    .where('open_minor', '>', 0)
    .where('due_date', '<', today)
    .where('customer_id', 'in', customerIds)
    .groupBy(['customer_id', 'currency'])
    .execute();
  const { toTarget, missing } = await converter(
    executor,
    today,
    currency,
    overdue.map((o) => o.currency),
  );
  assertConverted(missing, currency, today);
  const byCustomer = new Map<string, { overdueMinor: number; oldestDaysPastDue: number }>();
  for (const o of overdue) {
    const base = toTarget(Number(o.open), o.currency);
    const entry = byCustomer.get(o.customer_id) ?? { overdueMinor: 0, oldestDaysPastDue: 0 };
    entry.overdueMinor += base;
    entry.oldestDaysPastDue = Math.max(entry.oldestDaysPastDue, daysBetween(o.oldest as BusinessDate, today));
    byCustomer.set(o.customer_id, entry);
  }
  const contacts = await executor
    .selectFrom('contacts')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .execute();
  const promises = await executor
    .selectFrom('payment_promises')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .where('status', '=', 'open')
    .execute();
  const scores = new Map(
    (
      await executor
        .selectFrom('customer_scores')
        .select(['customer_id', 'pd'])
        .where('customer_id', 'in', customerIds)
        .execute()
    ).map((s) => [s.customer_id, Number(s.pd)]),
  );
  const notices = await executor
    .selectFrom('dunning_letters')
    .select(['customer_id', 'run_on', 'channel', 'subject', 'message_id'])
    .where('customer_id', 'in', customerIds)
    .orderBy('run_on', 'desc')
    .execute();
  // The accounts whose dunning is held: worked by hand (or by the agency), said on the row.
  const holds = await activeHolds(executor, today);
  const ofCustomer = <T extends { customer_id: string }>(rows: readonly T[]) => {
    const grouped = groupBy(rows, (row) => row.customer_id);
    return (customerId: string) => grouped.get(customerId) ?? [];
  };
  const tasksOf = ofCustomer(tasks);
  const contactsOf = ofCustomer(contacts);
  const promisesOf = ofCustomer(promises);
  const noticesOf = ofCustomer(notices);
  const items = customerIds.map((customerId) => {
    const own = tasksOf(customerId);
    const debt = byCustomer.get(customerId) ?? { overdueMinor: 0, oldestDaysPastDue: 0 };
    const latePd = scores.get(customerId);
    const hold = holds.get(customerId);
    const weight = latePd ?? Math.min(1, debt.oldestDaysPastDue / FULL_WEIGHT_DAYS);
    return {
      customerId,
      customerName: own[0]?.name ?? customerId,
      salesOwner: own[0]?.sales_owner ?? null,
      collector: own[0]?.collector ?? null,
      overdueMinor: debt.overdueMinor,
      oldestDaysPastDue: debt.oldestDaysPastDue,
      expectedValueMinor: Math.round(debt.overdueMinor * weight),
      latePaymentPd: latePd ?? null,
      tasks: own.map((t) => ({ id: t.id, kind: t.kind, dueOn: t.due_on, reason: t.reason })),
      hold: hold ? { id: hold.id, kind: hold.kind, until: hold.until, agency: hold.agency } : null,
      contacts: contactsOf(customerId).map(contactRecord),
      openPromises: promisesOf(customerId).map(promiseRecord),
      recentNotices: noticesOf(customerId)
        .slice(0, 5)
        .map((n) => ({
          runOn: n.run_on,
          channel: n.channel,
          subject: n.subject,
          sent: n.message_id !== null,
        })),
    };
  });
  const { by, descending } = chosenSort(filter.sort ?? '-expectedValue', WORKLIST_ORDERS);
  const page = pageOfRanked(items, (i) => [by(i), i.customerId], descending, {
    limit: filter.limit ?? WORKLIST_DEFAULT,
    ...(filter.cursor === undefined ? {} : { cursor: filter.cursor }),
  });
  return { asOf: today, currency, ...page };
}

/** Marks a collector's task done, with what happened. */
export async function completeTask(
  services: Services,
  actor: Actor,
  taskId: string,
  input: { note: string; outcome?: string },
) {
  const note = requireText(input.note, 'note', 2000);
  const outcome = input.outcome ?? null;
  if (outcome !== null && !(TASK_OUTCOMES as readonly string[]).includes(outcome))
    throw new DomainError('invalid_request', `outcome must be one of ${TASK_OUTCOMES.join(', ')}`, 'outcome');
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await forUpdate(
      trx.selectFrom('collection_tasks').selectAll().where('id', '=', taskId),
      services.store.dialect,
    ).executeTakeFirst();
    if (!before) throw new DomainError('task_not_found', `task ${taskId} does not exist`);
    if (before.status !== 'open') throw new DomainError('task_not_open', `task ${taskId} is already done`);
    const after = { ...before, status: 'done', done_by: actor, done_note: note, done_outcome: outcome };
    await trx.updateTable('collection_tasks').set(after).where('id', '=', taskId).execute();
    await appendAudit(trx, actor, now, [
      { action: 'collection_task.done', entityType: 'collection_task', entityId: taskId, before, after },
    ]);
    return {
      id: taskId,
      customerId: after.customer_id,
      kind: after.kind,
      status: after.status,
      doneBy: actor,
      doneNote: note,
      outcome,
    };
  });
}
