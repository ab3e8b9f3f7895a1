import { pdOfGrade } from '../../core/appetite/risk-appetite.js';
import type { Regime } from '../../core/cycle/regime.js';
import { groupBy } from '../../core/group-by.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import {
  type CustomerHistory,
  type HistoryInvoice,
  historyAsOf,
  openOn,
} from '../../core/monitoring/customer-history.js';
import { type ReplayedAlert, replayAlerts } from '../../core/monitoring/replay.js';
import { severityRank, type WarningRuleSet } from '../../core/monitoring/warning-rules.js';
import { riskClassOfGrade } from '../../core/rating/master-scale.js';
import {
  applicantAtIssue,
  applicantBefore,
  behaviourGrade,
  fitPooledLatePaymentModel,
  type LatePaymentModel,
  labelOf,
  latePaymentPd,
} from '../../core/scoring/late-payment.js';
import {
  assumedPath,
  delayedPayments,
  type ExposurePath,
  invoicePath,
} from '../../core/simulation/exposure-path.js';
import type { ReplayOrder } from '../../core/simulation/replay-book.js';
import { addMonths, type BusinessDate, fromEpochDay, toEpochDay } from '../../core/time/business-date.js';
import { invoiceHistory } from '../../store/queries/invoice-history.js';
import type { Executor } from '../../store/write.js';
import { converter } from '../credit/fx-rates.js';
import { readBookHistories } from '../monitoring/book-histories.js';
import { MIN_TRAINING_ROWS } from '../scoring/late-payment-scores.js';

/**
 * Outcomes a quarter's model is fitted on at most: past this a large book adds fitting time, not
 * accuracy (an even sample across customers and dates keeps the mix).
 */
const MODEL_ROWS = 50_000;

/** Every k-th row, so that at most `n` remain in their order; all of them when there are fewer. */
function evenSample<T>(rows: readonly T[], n: number): readonly T[] {
  if (rows.length <= n) return rows;
  const step = rows.length / n;
  return Array.from({ length: n }, (_, k) => rows[Math.floor(k * step)] as T);
}

/** Days past due after which what is still open counts as lost (the contract's default). */
const LOSS_DAYS_PAST_DUE = 90;

/** The loss a sale brought by `today`: its write-offs, and what is still open 90+ days past due. */
function realisedLoss(invoice: HistoryInvoice, today: number): number {
  const writtenOff = invoice.reductions
    .filter((r) => r.kind === 'write_off')
    .reduce((s, r) => s + r.amountMinor, 0);
  const open = today - invoice.dueDay >= LOSS_DAYS_PAST_DUE ? openOn(invoice, today) : 0;
  return writtenOff + open;
}

/**
 * The late-payment model in force on each quarter-start: fitted on the outcomes known then, so a
 * sale is graded by the model a credit team would have had that day (none before enough history).
 */
function modelsInForce(
  rows: {
    issueDate: BusinessDate;
    applicant: ReturnType<typeof applicantAtIssue>;
    invoice: Parameters<typeof labelOf>[0];
  }[],
  first: BusinessDate,
  today: BusinessDate,
) {
  const models: { from: BusinessDate; model: LatePaymentModel }[] = [];
  for (let q = addMonths(first, 6); q <= today; q = addMonths(q, 3)) {
    const known = rows.flatMap((r) => {
      const late = labelOf(r.invoice, q);
      return late === null ? [] : [{ issueDate: r.issueDate, applicant: r.applicant, late }];
    });
    if (
      known.length >= MIN_TRAINING_ROWS &&
      known.some((r) => r.late === 1) &&
      known.some((r) => r.late === 0)
    )
      models.push({ from: q, model: fitPooledLatePaymentModel(evenSample(known, MODEL_ROWS)) });
  }
  return models;
}

export interface ReplayBookOptions {
  /** A stress on liquidity: every payment `n` days later than it came (0: as history says). */
  readonly paymentDelayDays?: number;
  /** The economic cycle's regime on a day and its PD scale (none and 1 where nothing is read). */
  readonly cycleOn?: (day: number) => { regime: Regime | null; pdScale: number };
}

/** Sales the credit check refused in history: they never became receivables, so history cannot value them. */
async function refusedSales(executor: Executor, currency: CurrencyCode, ratesOn: BusinessDate) {
  const rows = await executor
    .selectFrom('orders')
    .select(['customer_id', 'ordered_on', 'amount_minor', 'currency'])
    .where('status', 'in', ['declined', 'rejected'])
    .where('ordered_on', '<=', ratesOn)
    .where('invoice_id', 'is', null)
    .execute();
  const { toTarget, missing } = await converter(executor, ratesOn, currency, [
    ...new Set(rows.map((r) => r.currency)),
  ]);
  return rows.map((r) => ({
    customerId: r.customer_id,
    day: toEpochDay(r.ordered_on as BusinessDate),
    amountMinor: missing.includes(r.currency)
      ? Number(r.amount_minor)
      : toTarget(Number(r.amount_minor), r.currency),
  }));
}

type Sale = {
  customer: number;
  day: number;
  amountMinor: number;
  invoice: HistoryInvoice | null;
  grade: number | null;
};

/**
 * The book's history as sales to replay (H2): every invoice stands for the sale it billed, on its
 * issue date, and every order the check refused for the sale it would have been, in the report
 * currency. Each carries only what was known the day before it (grade by the model then in force,
 * purchases, what was open and how late) and, for scoring afterwards, the loss it brought by
 * `today` (none known for a refused one: the replay values it by its PD) and how long it stayed open.
 */
export async function readReplayOrders(
  executor: Executor,
  today: BusinessDate,
  warningRules: WarningRuleSet,
  options: ReplayBookOptions = {},
) {
  const delay = options.paymentDelayDays ?? 0;
  const read = await readBookHistories(executor, today);
  const { currency, unconverted } = read;
  const todayDay = toEpochDay(today);
  // The book as it stood at the end of `today`: nothing dated later is seen, also when replaying a past day.
  const histories = read.histories.map((h) => {
    const known = historyAsOf(h, todayDay);
    return delay === 0 ? known : { ...known, invoices: known.invoices.map((i) => delayedPayments(i, delay)) };
  });
  const ledger = groupBy(await invoiceHistory(executor), (i) => i.customerId);
  const graded = [...ledger.values()].flatMap((invoices) =>
    invoices.map((invoice) => ({
      invoice,
      issueDate: invoice.issueDate,
      applicant: applicantAtIssue(invoices, invoice),
    })),
  );
  const firstIssue = [...graded.map((r) => r.issueDate)].sort()[0] ?? today;
  const models = modelsInForce(graded, firstIssue, today);
  const inForceOn = (date: string) => models.filter((m) => m.from <= date).at(-1);
  const gradeOf = new Map<string, number | null>();
  for (const r of graded) {
    const inForce = inForceOn(r.issueDate);
    gradeOf.set(
      r.invoice.invoiceId,
      inForce ? behaviourGrade(latePaymentPd(inForce.model, r.applicant)) : null,
    );
  }

  const indexOfCustomer = new Map(histories.map((h, k) => [h.customerId, k]));
  const sales: Sale[] = histories.flatMap((h, customer) =>
    h.invoices
      .filter((i) => i.amountMinor > 0)
      .map((invoice) => ({
        customer,
        day: invoice.issueDay,
        amountMinor: invoice.amountMinor,
        invoice,
        grade: gradeOf.get(invoice.id ?? '') ?? null,
      })),
  );
  for (const r of await refusedSales(executor, currency, today)) {
    if (!indexOfCustomer.has(r.customerId)) {
      indexOfCustomer.set(r.customerId, histories.length);
      histories.push({ customerId: r.customerId, invoices: [], promises: [], signals: [] });
    }
    const customer = indexOfCustomer.get(r.customerId) as number;
    const invoices = ledger.get(r.customerId) ?? [];
    const inForce = inForceOn(fromEpochDay(r.day));
    // Graded as an invoice issued that day would have been, on what the customer had done before.
    const applicant = applicantBefore(invoices, fromEpochDay(r.day));
    const grade = inForce && applicant ? behaviourGrade(latePaymentPd(inForce.model, applicant)) : null;
    if (r.amountMinor > 0)
      sales.push({ customer, day: r.day, amountMinor: r.amountMinor, invoice: null, grade });
  }
  sales.sort((a, b) => a.day - b.day || (a.invoice?.id ?? '~').localeCompare(b.invoice?.id ?? '~'));
  const indexOf = new Map(sales.map((s, index) => [s, index]));
  const byCustomer = groupBy(sales, (s) => String(s.customer));
  const paths = sales.map((s) => (s.invoice ? invoicePath(s.invoice, todayDay) : null));
  const bookDays = meanDaysOpen(sales, paths);
  // Each customer's earlier sales, kept as the replay walks forward: those that may still be
  // open (an invoice closed stays closed), last year's purchases, how long its sales stayed open.
  const running = new Map<
    number,
    {
      seen: number;
      open: Sale[];
      yearFrom: number;
      lastYearMinor: number;
      minorDays: number;
      paidMinor: number;
    }
  >();
  const episodes = new Map<number, ReplayedAlert[]>();
  const customerEpisodes = (customer: number, own: readonly Sale[]) =>
    replayAlerts(
      histories[customer] as CustomerHistory,
      (own[0]?.day ?? todayDay) - 1,
      todayDay,
      warningRules,
    );
  const orders: ReplayOrder[] = sales.map((sale, index) => {
    const { customer, day, grade } = sale;
    const cycle = options.cycleOn?.(day);
    const own = byCustomer.get(String(customer)) ?? [];
    const state = running.get(customer) ?? {
      seen: 0,
      open: [],
      yearFrom: 0,
      lastYearMinor: 0,
      minorDays: 0,
      paidMinor: 0,
    };
    running.set(customer, state);
    while (state.yearFrom < state.seen && (own[state.yearFrom] as Sale).day < day - 365) {
      const gone = own[state.yearFrom] as Sale;
      if (gone.invoice) state.lastYearMinor -= gone.amountMinor;
      state.yearFrom++;
    }
    // Dropped once closed for good: nothing open now, and nothing (a reversed payment) after today.
    state.open = state.open.filter((s) => {
      const invoice = s.invoice as HistoryInvoice;
      return openOn(invoice, day) > 0 || (invoice.reductions.at(-1)?.day ?? 0) > day;
    });
    // The alerts live the day before: the customer's alert episodes, replayed once for all its sales.
    const alerts =
      episodes.get(customer) ?? episodes.set(customer, customerEpisodes(customer, own)).get(customer);
    let worst = -1;
    for (const a of alerts ?? [])
      if (a.raisedDay <= day - 1 && (a.clearedDay === null || a.clearedDay > day - 1))
        worst = Math.max(worst, severityRank(a.severity));
    const ownDays = state.paidMinor > 0 ? state.minorDays / state.paidMinor : null;
    const path = paths[index] ?? assumedPath(sale.amountMinor, day, ownDays ?? bookDays ?? 0, todayDay);
    const order: ReplayOrder = {
      customer,
      day,
      amountMinor: sale.amountMinor,
      lossMinor: sale.invoice ? realisedLoss(sale.invoice, todayDay) : null,
      pd: Math.min(1, pdOfGrade(grade) * (cycle?.pdScale ?? 1)),
      regime: cycle?.regime ?? null,
      ...path,
      grade,
      warning: worst >= severityRank('critical') ? 'critical' : worst >= severityRank('high') ? 'high' : null,
      riskClass: grade === null ? 'C' : riskClassOfGrade(grade),
      ageDays: day - (own[0]?.day ?? day),
      monthlyPurchasesMinor: state.lastYearMinor / 12,
      openBefore: state.open.flatMap((s) => {
        const openMinor = openOn(s.invoice as HistoryInvoice, day);
        return openMinor > 0
          ? [
              {
                order: indexOf.get(s) as number,
                openMinor,
                daysPastDue: Math.max(0, day - (s.invoice as HistoryInvoice).dueDay),
              },
            ]
          : [];
      }),
    };
    // This sale is now an earlier one for the customer's next.
    state.seen++;
    if (sale.invoice) {
      state.open.push(sale);
      state.lastYearMinor += sale.amountMinor;
      const own = paths[index];
      if (own) {
        state.minorDays += own.openMinorDays;
        state.paidMinor += sale.amountMinor;
      }
    }
    return order;
  });
  return {
    currency,
    unconverted,
    orders,
    /** Each sale's `customer` is an index into these. */
    customerIds: histories.map((h) => h.customerId),
    from: orders[0] ? fromEpochDay(orders[0].day) : null,
    to: today,
  };
}

/** Days a sale stayed open on average, weighted by amount (Σ open × days ÷ Σ amount), or null. */
function meanDaysOpen(sales: readonly Sale[], paths: readonly (ExposurePath | null)[]): number | null {
  let minorDays = 0;
  let amount = 0;
  sales.forEach((s, k) => {
    const path = paths[k];
    if (!path) return;
    minorDays += path.openMinorDays;
    amount += s.amountMinor;
  });
  return amount > 0 ? minorDays / amount : null;
}
