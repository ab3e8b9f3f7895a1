import type { Selectable } from 'kysely';
import { type Instalment, judgePlan, planSchedule } from '../../core/collections/payment-plan.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { type BusinessDate, parseBusinessDate } from '../../core/time/business-date.js';
import { type AuditEntry, appendAudit } from '../../store/audit.js';
import { type PageRequest, paginate, sortOf } from '../../store/page.js';
import type { PaymentPlanTable } from '../../store/schema.js';
import { chunkOf, type Executor, insertChunked } from '../../store/write.js';
import type { Actor, Services } from '../services.js';

export interface NewPaymentPlan {
  readonly invoiceIds: string[];
  readonly instalments: number;
  readonly firstDueOn: string;
  readonly intervalDays?: number;
  readonly annualRatePercent?: number;
  readonly graceDays?: number;
  /** Hold new orders (stop supply) while the plan runs. */
  readonly freezeSupply?: boolean;
  readonly note: string;
}

function planRecord(
  row: Selectable<PaymentPlanTable>,
  invoiceIds: string[],
  standing?: ReturnType<typeof judgePlan>,
) {
  return {
    id: row.id,
    customerId: row.customer_id,
    currency: row.currency,
    totalMinor: row.total_minor,
    startsOn: row.starts_on,
    graceDays: row.grace_days,
    annualRatePercent: row.annual_rate_percent,
    instalments: JSON.parse(row.schedule_json) as Instalment[],
    invoiceIds,
    freezesSupply: row.froze_supply === 1,
    note: row.note,
    status: row.status,
    endedOn: row.ended_on,
    paidMinor: standing?.paidMinor ?? null,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/**
 * Turns a customer's overdue invoices into an instalment plan (E5). Dunning leaves the invoices
 * alone while the plan is kept; optionally new orders are held (stop supply) for its life.
 */
export async function createPaymentPlan(
  services: Services,
  actor: Actor,
  customerId: string,
  input: NewPaymentPlan,
) {
  const today = services.clock.today();
  const note = requireText(input.note, 'note', 1000);
  const firstDueOn = parseBusinessDate(input.firstDueOn, 'firstDueOn');
  if (input.invoiceIds.length === 0)
    throw new DomainError('required', 'a plan covers at least one invoice', 'invoiceIds');
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const invoices = await trx
      .selectFrom('invoices')
      .selectAll()
      .where('id', 'in', input.invoiceIds)
      .execute();
    for (const id of input.invoiceIds) {
      const invoice = invoices.find((i) => i.id === id);
      if (!invoice || invoice.customer_id !== customerId)
        throw new DomainError('unknown_invoice', `invoice ${id} is not one of this customer's`, 'invoiceIds');
      if (invoice.open_minor <= 0 || invoice.due_date >= today)
        throw new DomainError(
          'not_overdue',
          `invoice ${invoice.invoice_number} is not overdue`,
          'invoiceIds',
        );
    }
    const currencies = new Set(invoices.map((i) => i.currency));
    if (currencies.size > 1)
      throw new DomainError('currency_mismatch', 'a plan is in one currency', 'invoiceIds');
    const inPlan = await trx
      .selectFrom('payment_plan_invoices as pi')
      .innerJoin('payment_plans as p', 'p.id', 'pi.plan_id')
      .select('pi.invoice_id')
      .where('p.status', '=', 'active')
      .where('pi.invoice_id', 'in', input.invoiceIds)
      .executeTakeFirst();
    if (inPlan)
      throw new DomainError(
        'already_in_plan',
        `invoice ${inPlan.invoice_id} is already in an active plan`,
        'invoiceIds',
      );
    const totalMinor = invoices.reduce((s, i) => s + i.open_minor, 0);
    const schedule = planSchedule({
      totalMinor,
      count: input.instalments,
      startsOn: today,
      firstDueOn,
      intervalDays: input.intervalDays ?? 30,
      annualRatePercent: input.annualRatePercent ?? 0,
    });
    const profile = await trx
      .selectFrom('credit_profiles')
      .select('stop_supply')
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow();
    const froze = input.freezeSupply === true && profile.stop_supply === 0;
    const row: Selectable<PaymentPlanTable> = {
      id: services.ids.next('pln'),
      customer_id: customerId,
      currency: [...currencies][0] as string,
      total_minor: totalMinor,
      starts_on: today,
      grace_days: input.graceDays ?? 5,
      annual_rate_percent: input.annualRatePercent ?? 0,
      schedule_json: JSON.stringify(schedule),
      froze_supply: froze ? 1 : 0,
      note,
      status: 'active',
      ended_on: null,
      created_by: actor,
      created_at: now,
    };
    await trx.insertInto('payment_plans').values(row).execute();
    await insertChunked(
      trx,
      'payment_plan_invoices',
      input.invoiceIds.map((invoice_id) => ({ plan_id: row.id, invoice_id })),
    );
    if (froze)
      await trx
        .updateTable('credit_profiles')
        .set({ stop_supply: 1, updated_at: now })
        .where('customer_id', '=', customerId)
        .execute();
    const record = planRecord(row, input.invoiceIds);
    await appendAudit(trx, actor, now, [
      {
        action: 'payment_plan.agreed',
        entityType: 'customer',
        entityId: customerId,
        before: null,
        after: record,
      },
    ]);
    return record;
  });
}

type Plan = Selectable<PaymentPlanTable>;

/** Each plan's invoices and the payments applied to them since it started: two queries for any number of plans. */
async function planLedgers(executor: Executor, plans: readonly Plan[]) {
  const invoices = new Map<string, string[]>(plans.map((p) => [p.id, []]));
  const payments = new Map<string, { on: BusinessDate; amountMinor: number }[]>(plans.map((p) => [p.id, []]));
  const startsOn = new Map(plans.map((p) => [p.id, p.starts_on]));
  for (const ids of chunkOf(
    plans.map((p) => p.id),
    1_000,
  )) {
    const linked = await executor
      .selectFrom('payment_plan_invoices')
      .select(['plan_id', 'invoice_id'])
      .where('plan_id', 'in', ids)
      .orderBy('invoice_id')
      .execute();
    for (const r of linked) invoices.get(r.plan_id)?.push(r.invoice_id);
    const applied = await executor
      .selectFrom('allocations')
      .innerJoin('payment_plan_invoices as pi', 'pi.invoice_id', 'allocations.invoice_id')
      .select(['pi.plan_id', 'allocations.applied_on', 'allocations.amount_minor'])
      .where('pi.plan_id', 'in', ids)
      .execute();
    for (const r of applied)
      if (r.applied_on >= (startsOn.get(r.plan_id) as string))
        payments.get(r.plan_id)?.push({ on: r.applied_on as BusinessDate, amountMinor: r.amount_minor });
  }
  return { invoices, payments };
}

/** Where a plan stands on `today` from the payments applied to its invoices. */
function standingOf(plan: Plan, ledgers: Awaited<ReturnType<typeof planLedgers>>, today: BusinessDate) {
  return judgePlan(
    JSON.parse(plan.schedule_json) as Instalment[],
    ledgers.payments.get(plan.id) ?? [],
    plan.grace_days,
    today,
  );
}

/**
 * Judges every active plan on the run date (called by the dunning run, in its transaction):
 * completed plans end (and lift the stop-supply they set); broken ones end, so dunning resumes on
 * their invoices, and come back as customers to alert.
 */
export async function judgePaymentPlans(trx: Executor, runOn: BusinessDate, now: string) {
  const active = await trx.selectFrom('payment_plans').selectAll().where('status', '=', 'active').execute();
  const broken: { customerId: string; planId: string; missedSeq: number }[] = [];
  const audit: AuditEntry[] = [];
  const ledgers = await planLedgers(trx, active);
  for (const plan of active) {
    const standing = standingOf(plan, ledgers, runOn);
    if (standing.status === 'kept') continue;
    await trx
      .updateTable('payment_plans')
      .set({ status: standing.status, ended_on: runOn })
      .where('id', '=', plan.id)
      .execute();
    if (standing.status === 'completed' && plan.froze_supply === 1)
      await trx
        .updateTable('credit_profiles')
        .set({ stop_supply: 0, updated_at: now })
        .where('customer_id', '=', plan.customer_id)
        .execute();
    if (standing.status === 'broken')
      broken.push({ customerId: plan.customer_id, planId: plan.id, missedSeq: standing.missedSeq });
    audit.push({
      action: `payment_plan.${standing.status}`,
      entityType: 'customer',
      entityId: plan.customer_id,
      before: { planId: plan.id, status: 'active' },
      after: { planId: plan.id, ...standing },
    });
  }
  return { broken, audit };
}

/** Invoices in plans being kept: dunning leaves them alone. */
export async function invoicesInActivePlans(executor: Executor): Promise<Set<string>> {
  const rows = await executor
    .selectFrom('payment_plan_invoices as pi')
    .innerJoin('payment_plans as p', 'p.id', 'pi.plan_id')
    .select('pi.invoice_id')
    .where('p.status', '=', 'active')
    .execute();
  return new Set(rows.map((r) => r.invoice_id));
}

export const PAYMENT_PLAN_SORTS = ['createdAt', 'total'] as const;

/** Payment plans, newest first unless sorted otherwise, a page at a time, each with how it stands today. */
export async function listPaymentPlans(
  services: Services,
  filter: PageRequest & { customerId?: string; status?: string; sort?: string },
) {
  const { db } = services.store;
  let q = db.selectFrom('payment_plans').selectAll();
  if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
  if (filter.status) q = q.where('status', '=', filter.status);
  const page = await paginate(
    q,
    'payment_plans.id',
    filter,
    (row) => row,
    sortOf(filter.sort ?? '-createdAt', {
      createdAt: { column: 'payment_plans.created_at', valueOf: (r) => r.created_at },
      total: { column: 'payment_plans.total_minor', valueOf: (r) => r.total_minor },
    }),
  );
  const today = services.clock.today();
  const ledgers = await planLedgers(db, page.items);
  return {
    items: page.items.map((plan) =>
      planRecord(plan, ledgers.invoices.get(plan.id) ?? [], standingOf(plan, ledgers, today)),
    ),
    nextCursor: page.nextCursor,
  };
}
