import { groupBy } from '../../core/group-by.js';
import { type CustomerHistory, type HistoryInvoice, openOn } from '../../core/monitoring/customer-history.js';
import { firingRules } from '../../core/monitoring/replay.js';
import { severityRank, type WarningRuleSet } from '../../core/monitoring/warning-rules.js';
import { riskClassOfGrade } from '../../core/rating/master-scale.js';
import {
  applicantAtIssue,
  behaviourGrade,
  fitPooledLatePaymentModel,
  type LatePaymentModel,
  labelOf,
  latePaymentPd,
} from '../../core/scoring/late-payment.js';
import type { ReplayOrder } from '../../core/simulation/replay-book.js';
import { addMonths, type BusinessDate, fromEpochDay, toEpochDay } from '../../core/time/business-date.js';
import { invoiceHistory } from '../../store/queries/invoice-history.js';
import type { Executor } from '../../store/write.js';
import { readBookHistories } from '../monitoring/book-histories.js';
import { MIN_TRAINING_ROWS } from '../scoring/late-payment-scores.js';

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
      models.push({ from: q, model: fitPooledLatePaymentModel(known) });
  }
  return models;
}

/**
 * The book's history as sales to replay (H2): every invoice stands for the sale it billed, on its
 * issue date, in the report currency. Each carries only what was known the day before it (grade by
 * the model then in force, purchases, what was open and how late) and, for scoring afterwards, the
 * loss it brought by `today`.
 */
export async function readReplayOrders(
  executor: Executor,
  today: BusinessDate,
  warningRules: WarningRuleSet,
) {
  const { currency, histories, unconverted } = await readBookHistories(executor, today);
  const ledger = groupBy(await invoiceHistory(executor), (i) => i.customerId);
  const todayDay = toEpochDay(today);
  const graded = [...ledger.values()].flatMap((invoices) =>
    invoices.map((invoice) => ({
      invoice,
      issueDate: invoice.issueDate,
      applicant: applicantAtIssue(invoices, invoice),
    })),
  );
  const firstIssue = [...graded.map((r) => r.issueDate)].sort()[0] ?? today;
  const models = modelsInForce(graded, firstIssue, today);
  const gradeOf = new Map<string, number | null>();
  for (const r of graded) {
    const inForce = models.filter((m) => m.from <= r.issueDate).at(-1);
    gradeOf.set(
      r.invoice.invoiceId,
      inForce ? behaviourGrade(latePaymentPd(inForce.model, r.applicant)) : null,
    );
  }

  const sales = histories.flatMap((h, customer) =>
    h.invoices.filter((i) => i.amountMinor > 0).map((invoice) => ({ customer, invoice })),
  );
  sales.sort(
    (a, b) =>
      a.invoice.issueDay - b.invoice.issueDay || (a.invoice.id ?? '').localeCompare(b.invoice.id ?? ''),
  );
  const indexOf = new Map(sales.map((s, index) => [s.invoice, index]));
  const byCustomer = groupBy(sales, (s) => String(s.customer));
  const orders: ReplayOrder[] = sales.map(({ customer, invoice }, index) => {
    const own = byCustomer.get(String(customer)) ?? [];
    const day = invoice.issueDay;
    const earlier = own.filter((s) => (indexOf.get(s.invoice) as number) < index);
    const lastYear = earlier.filter((s) => s.invoice.issueDay >= day - 365);
    const grade = gradeOf.get(invoice.id ?? '') ?? null;
    const worst = Math.max(
      -1,
      ...firingRules(histories[customer] as CustomerHistory, day - 1, warningRules).map((f) =>
        severityRank(f.severity),
      ),
    );
    return {
      customer,
      day,
      amountMinor: invoice.amountMinor,
      lossMinor: realisedLoss(invoice, todayDay),
      grade,
      warning: worst >= severityRank('critical') ? 'critical' : worst >= severityRank('high') ? 'high' : null,
      riskClass: grade === null ? 'C' : riskClassOfGrade(grade),
      ageDays: day - (own[0]?.invoice.issueDay ?? day),
      monthlyPurchasesMinor: lastYear.reduce((s, e) => s + e.invoice.amountMinor, 0) / 12,
      openBefore: earlier.flatMap((s) => {
        const openMinor = openOn(s.invoice, day);
        return openMinor > 0
          ? [
              {
                order: indexOf.get(s.invoice) as number,
                openMinor,
                daysPastDue: Math.max(0, day - s.invoice.dueDay),
              },
            ]
          : [];
      }),
    };
  });
  return { currency, unconverted, orders, from: orders[0] ? fromEpochDay(orders[0].day) : null, to: today };
}
