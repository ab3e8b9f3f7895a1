import { DomainError } from '../../core/errors.js';
import { deadlineState, invoiceDeadlines } from '../../core/insurance/deadlines.js';
import { buyerLimitOn } from '../../core/insurance/insurance-policy.js';
import { type BusinessDate, daysBetween } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { insertAudited } from '../write-records.js';
import { activeInsurance, decisionsByCustomer } from './buyer-limits.js';

/**
 * Every overdue invoice of a buyer the insurer covers today, with the day the insurer must be told
 * and the day a claim must be filed: still to notify (soonest first), notified, or cover lost.
 */
export function insuranceDeadlines(services: Services, filter: { customerId?: string; state?: string } = {}) {
  return deadlinesOn(services.store.db, services.clock.today(), filter);
}

/** The tracker on `today` (the invoices' open amounts are today's). */
async function deadlinesOn(
  db: Executor,
  today: BusinessDate,
  filter: { customerId?: string; customerIds?: readonly string[]; state?: string },
) {
  const [terms] = await activeInsurance(db, today);
  if (!terms) return { policyId: null, today, items: [] };
  let query = db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .leftJoin('insurer_notifications', 'insurer_notifications.invoice_id', 'invoices.id')
    .select([
      'invoices.id',
      'invoices.invoice_number',
      'invoices.customer_id',
      'invoices.currency',
      'invoices.open_minor',
      'invoices.due_date',
      'customers.name',
      'customers.country',
      'insurer_notifications.notified_on',
    ])
    .where('invoices.open_minor', '>', 0)
    .where('invoices.due_date', '<', today);
  if (filter.customerId) query = query.where('invoices.customer_id', '=', filter.customerId);
  if (filter.customerIds)
    query = query.where('invoices.customer_id', 'in', filter.customerIds.length ? filter.customerIds : ['']);
  const rows = await query.execute();
  const decisions = await decisionsByCustomer(db, terms.id, today, [
    ...new Set(rows.map((r) => r.customer_id)),
  ]);
  const items = [];
  for (const r of rows) {
    if (buyerLimitOn(terms, decisions.get(r.customer_id) ?? [], r.country, today).limitMinor <= 0) continue;
    const deadlines = invoiceDeadlines(terms, r.due_date as BusinessDate);
    const notifiedOn = (r.notified_on ?? null) as BusinessDate | null;
    const { state, daysLeft } = deadlineState(deadlines, notifiedOn, today);
    if (filter.state && state !== filter.state) continue;
    items.push({
      invoiceId: r.id,
      invoiceNumber: r.invoice_number,
      customerId: r.customer_id,
      customerName: r.name,
      currency: r.currency,
      openMinor: Number(r.open_minor),
      dueDate: r.due_date,
      daysPastDue: daysBetween(r.due_date as BusinessDate, today),
      notifyBy: deadlines.notifyBy,
      claimBy: deadlines.claimBy,
      daysLeft,
      claimDaysLeft: daysBetween(today, deadlines.claimBy),
      state,
      notifiedOn,
    });
  }
  const order = { notify: 0, cover_lost: 1, notified: 2 } as const;
  items.sort(
    (a, b) =>
      order[a.state] - order[b.state] || a.daysLeft - b.daysLeft || (a.invoiceId < b.invoiceId ? -1 : 1),
  );
  return { policyId: terms.id, today, items };
}

/**
 * Tells the insurer of overdue invoices (one action for many): each recorded once, today, with what
 * was open — the file the insurer expects is built from these rows. An invoice already notified, not
 * overdue or of a buyer without cover is refused by name, and nothing is written.
 */
export async function notifyInsurer(services: Services, actor: Actor, invoiceIds: readonly string[]) {
  if (invoiceIds.length === 0) throw new DomainError('required', 'name at least one invoice', 'invoiceIds');
  const tracker = await insuranceDeadlines(services);
  const byId = new Map(tracker.items.map((i) => [i.invoiceId, i]));
  const rows = [...new Set(invoiceIds)].map((id, index) => {
    const item = byId.get(id);
    if (!item)
      throw new DomainError(
        'not_notifiable',
        `invoice ${id} is not an overdue invoice of an insured buyer`,
        `invoiceIds[${index}]`,
      );
    if (item.notifiedOn)
      throw new DomainError(
        'already_notified',
        `invoice ${id} was notified on ${item.notifiedOn}`,
        `invoiceIds[${index}]`,
      );
    return item;
  });
  const now = services.clock.now().toISOString();
  const records = await services.store.db.transaction().execute((trx) =>
    insertAudited(
      trx,
      'insurer_notifications',
      rows.map((item) => ({
        id: services.ids.next('ntf'),
        policy_id: tracker.policyId as string,
        invoice_id: item.invoiceId,
        customer_id: item.customerId,
        notified_on: tracker.today,
        open_minor: item.openMinor,
        recorded_by: actor,
        recorded_at: now,
      })),
      (row) => ({ id: row.id, invoiceId: row.invoice_id, notifiedOn: row.notified_on }),
      { actor, now, action: 'insurer_notification.recorded' },
    ),
  );
  return {
    notified: records.length,
    items: rows.map((item) => ({
      ...item,
      notifiedOn: tracker.today,
      lateNotice: item.state === 'cover_lost',
    })),
  };
}

/** The notifications made, as the file an insurer expects: buyer, invoice, amounts, dates. */
export async function listNotifications(executor: Executor, since?: string) {
  let query = executor
    .selectFrom('insurer_notifications as n')
    .innerJoin('invoices as i', 'i.id', 'n.invoice_id')
    .innerJoin('customers as c', 'c.id', 'n.customer_id')
    .innerJoin('insurance_policies as p', 'p.id', 'n.policy_id')
    .select([
      'p.policy_number',
      'c.name',
      'c.registration_id',
      'c.country',
      'i.invoice_number',
      'i.issue_date',
      'i.due_date',
      'i.currency',
      'n.open_minor',
      'n.notified_on',
      'n.recorded_by',
    ])
    .orderBy('n.notified_on', 'desc')
    .orderBy('i.invoice_number')
    .limit(10_000);
  if (since) query = query.where('n.notified_on', '>=', since);
  return {
    items: (await query.execute()).map((r) => ({
      policyNumber: r.policy_number,
      buyer: r.name,
      buyerRegistrationId: r.registration_id,
      country: r.country,
      invoiceNumber: r.invoice_number,
      issueDate: r.issue_date,
      dueDate: r.due_date,
      currency: r.currency,
      openMinor: Number(r.open_minor),
      notifiedOn: r.notified_on,
      recordedBy: r.recorded_by,
    })),
  };
}

/** How many days before the notification deadline an alert is raised. */
export const DEADLINE_ALERT_DAYS = 7;

/** The built-in alert for the insurer's deadline (not in a rule set: it follows the policy's terms). */
export const INSURER_DEADLINE_ALERT = {
  id: 'insurer_deadline',
  severity: 'medium',
  ownerRole: 'credit_analyst',
  slaDays: 2,
  action: 'notify_insurer',
} as const;

/**
 * The customers with an overdue invoice the insurer must be told of within
 * `DEADLINE_ALERT_DAYS` days (or whose deadline has just passed unnotified), for the monitoring
 * run: an alert while it lasts, cleared once every such invoice is notified or paid.
 */
export async function insurerDeadlineFirings(
  db: Executor,
  day: BusinessDate,
  customerIds?: readonly string[],
) {
  const { items } = await deadlinesOn(db, day, { state: 'notify', ...(customerIds && { customerIds }) });
  const firing = new Map<string, { invoices: number; daysLeft: number }>();
  for (const item of items) {
    if (item.daysLeft > DEADLINE_ALERT_DAYS) continue;
    const facts = firing.get(item.customerId) ?? { invoices: 0, daysLeft: item.daysLeft };
    firing.set(item.customerId, {
      invoices: facts.invoices + 1,
      daysLeft: Math.min(facts.daysLeft, item.daysLeft),
    });
  }
  return firing;
}
