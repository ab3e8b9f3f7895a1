import type { Selectable } from 'kysely';
import { type DunningStrategy, stepsDue } from '../../core/collections/dunning-strategy.js';
import type { NoticeItem } from '../../core/collections/notices.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import type { RiskClass } from '../../core/rating/risk-class.js';
import { type BusinessDate, toEpochDay } from '../../core/time/business-date.js';
import type { DunningStepTable } from '../../store/schema.js';
import { chunkOf, type Executor, insertChunked } from '../../store/write.js';
import type { CustomerSteps } from './dunning-notices.js';

export interface OpenItem {
  readonly id: string;
  readonly customer_id: string;
  readonly invoice_number: string;
  readonly due_date: string;
  readonly open_minor: number;
  readonly currency: string;
}

/** What pauses dunning and what a step depends on, read once per run. */
export interface DunningContext {
  readonly risk: Map<string, { risk_class: string; stop_supply: number }>;
  readonly disputed: Set<string>;
  readonly inPlan: Set<string>;
  readonly promised: Set<string>;
  /** Customers whose dunning is held (paused, or with an agency). */
  readonly held: ReadonlySet<string>;
}

type StepRow = Selectable<DunningStepTable>;

export interface BatchDecision {
  readonly stepRows: StepRow[];
  readonly perCustomer: Map<string, CustomerSteps>;
  taken: number;
  superseded: number;
  pausedByDispute: number;
  pausedByPromise: number;
  pausedByPlan: number;
  pausedByHold: number;
}

const TASK_OF = { call_task: 'call', agency: 'agency', legal: 'legal' } as const;
const NOTHING_DONE: ReadonlySet<string> = new Set();

const stepList = (list: string) => (list === '' ? [] : list.split(','));

/** The customers of a batch: from, to (inclusive, by id). */
export type CustomerRange = readonly [string, string];

/**
 * The steps each item already had, and the rows an earlier run of the same day wrote (a second
 * run that day adds to those rows instead of writing a second one). A batch of whole customers is
 * read by their range; a few scattered items by their ids.
 */
export async function doneSteps(
  trx: Executor,
  items: readonly OpenItem[],
  runOn: BusinessDate,
  range: CustomerRange | null,
) {
  const done = new Map<string, Set<string>>();
  const today = new Map<string, StepRow>();
  const queries = range
    ? [
        trx
          .selectFrom('dunning_steps as s')
          .innerJoin('invoices as i', 'i.id', 's.invoice_id')
          .selectAll('s')
          .where('i.customer_id', '>=', range[0])
          .where('i.customer_id', '<=', range[1])
          .where('i.open_minor', '>', 0),
      ]
    : chunkOf(items, 5_000).map((chunk) =>
        trx
          .selectFrom('dunning_steps as s')
          .selectAll('s')
          .where(
            's.invoice_id',
            'in',
            chunk.map((i) => i.id),
          ),
      );
  for (const query of queries) {
    for (const r of await query.execute()) {
      let steps = done.get(r.invoice_id);
      if (!steps) {
        steps = new Set<string>();
        done.set(r.invoice_id, steps);
      }
      for (const id of stepList(r.taken)) steps.add(id);
      for (const id of stepList(r.superseded)) steps.add(id);
      if (r.run_on === runOn) today.set(r.invoice_id, r);
    }
  }
  return { done, today };
}

/** Decides every item's steps (no I/O): the rows to record and what each customer is sent. */
export function decideBatch(
  items: readonly OpenItem[],
  strategy: DunningStrategy,
  runOn: BusinessDate,
  context: DunningContext,
  done: ReadonlyMap<string, ReadonlySet<string>>,
): BatchDecision {
  const decision: BatchDecision = {
    stepRows: [],
    perCustomer: new Map(),
    taken: 0,
    superseded: 0,
    pausedByDispute: 0,
    pausedByPromise: 0,
    pausedByPlan: 0,
    pausedByHold: 0,
  };
  const runDay = toEpochDay(runOn);
  // A book has a few hundred distinct due dates: parse each once.
  const dueDay = new Map<string, number>();
  for (const item of items) {
    if (context.disputed.has(item.id)) {
      decision.pausedByDispute += 1;
      continue;
    }
    if (context.held.has(item.customer_id)) {
      decision.pausedByHold += 1;
      continue;
    }
    if (context.promised.has(item.customer_id)) {
      decision.pausedByPromise += 1;
      continue;
    }
    if (context.inPlan.has(item.id)) {
      decision.pausedByPlan += 1;
      continue;
    }
    let due = dueDay.get(item.due_date);
    if (due === undefined) {
      due = toEpochDay(item.due_date as BusinessDate);
      dueDay.set(item.due_date, due);
    }
    const daysPastDue = runDay - due;
    const riskClass = (context.risk.get(item.customer_id)?.risk_class ?? 'C') as RiskClass;
    const steps = stepsDue(
      strategy,
      { daysPastDue, riskClass, openMinor: item.open_minor },
      done.get(item.id) ?? NOTHING_DONE,
    );
    if (steps.take.length === 0) continue;
    decision.stepRows.push({
      invoice_id: item.id,
      run_on: runOn,
      days_past_due: daysPastDue,
      open_minor: item.open_minor,
      taken: steps.take.map((step) => step.id).join(','),
      superseded: steps.superseded.map((step) => step.id).join(','),
    });
    decision.taken += steps.take.length;
    decision.superseded += steps.superseded.length;
    let customer = decision.perCustomer.get(item.customer_id);
    if (!customer) {
      customer = {
        customerId: item.customer_id,
        emailItems: [],
        stepItems: [],
        letters: [],
        tasks: new Set(),
        stopSupply: false,
      };
      decision.perCustomer.set(item.customer_id, customer);
    }
    const notice: NoticeItem = {
      invoiceNumber: item.invoice_number,
      dueDate: item.due_date as BusinessDate,
      openMinor: item.open_minor,
      currency: item.currency as CurrencyCode,
      daysPastDue,
    };
    customer.stepItems.push(notice);
    for (const step of steps.take) {
      if (step.action === 'email') customer.emailItems.push(notice);
      else if (step.action === 'letter') customer.letters.push(notice);
      else if (step.action === 'stop_supply') customer.stopSupply = true;
      else customer.tasks.add(TASK_OF[step.action]);
    }
  }
  return decision;
}

/** Records the batch's steps: new rows in key order, added to the rows an earlier run today wrote. */
export async function writeStepRows(
  trx: Executor,
  rows: StepRow[],
  today: ReadonlyMap<string, StepRow>,
  runOn: BusinessDate,
): Promise<void> {
  // In key order: appended to the index instead of scattered through it.
  rows.sort((a, b) => (a.invoice_id < b.invoice_id ? -1 : a.invoice_id > b.invoice_id ? 1 : 0));
  await insertChunked(
    trx,
    'dunning_steps',
    rows.filter((r) => !today.has(r.invoice_id)),
  );
  const join = (a: string, b: string) => [...stepList(a), ...stepList(b)].join(',');
  for (const r of rows) {
    const earlier = today.get(r.invoice_id);
    if (!earlier) continue;
    await trx
      .updateTable('dunning_steps')
      .set({ taken: join(earlier.taken, r.taken), superseded: join(earlier.superseded, r.superseded) })
      .where('invoice_id', '=', r.invoice_id)
      .where('run_on', '=', runOn)
      .execute();
  }
}
