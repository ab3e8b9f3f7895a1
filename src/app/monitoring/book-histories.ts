import type {
  CustomerHistory,
  HistoryInvoice,
  HistorySignal,
  Reduction,
} from '../../core/monitoring/customer-history.js';
import { type Severity, severityRank } from '../../core/monitoring/warning-rules.js';
import { type BusinessDate, toEpochDay } from '../../core/time/business-date.js';
import { type Executor, eachChunk } from '../../store/write.js';
import { converter, reportCurrency } from '../credit/fx-rates.js';

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const firstDay = (h: { invoices: readonly HistoryInvoice[] }) =>
  h.invoices[0]?.issueDay ?? Number.POSITIVE_INFINITY;

interface MutableInvoice extends HistoryInvoice {
  readonly reductions: { day: number; amountMinor: number; kind: Reduction }[];
  readonly currency: string;
}

/**
 * Every customer's history as the book holds it (invoices with their payments and credit notes, and
 * promises to pay), in the report currency at the rates of `ratesOn`. A currency with no rate keeps
 * its own units (named in `unconverted`): the rules compare a customer with itself, so that only
 * matters where a customer mixes currencies.
 */
export async function readBookHistories(
  executor: Executor,
  ratesOn: BusinessDate,
  customerIds?: readonly string[],
) {
  if (customerIds?.length === 0)
    return { currency: await reportCurrency(executor), unconverted: [], histories: [] };
  const some = customerIds !== undefined;
  const ids = customerIds ?? [];
  const promiseRows = await executor
    .selectFrom('payment_promises')
    .select(['customer_id', 'recorded_on', 'promised_on', 'amount_minor', 'currency', 'status', 'settled_on'])
    .$if(some, (q) => q.where('customer_id', 'in', ids))
    .execute();

  const signalRows = await executor
    .selectFrom('external_signals')
    .select(['customer_id', 'occurred_on', 'severity'])
    .$if(some, (q) => q.where('customer_id', 'in', ids))
    .execute();

  const currency = await reportCurrency(executor);
  const currencies = [
    ...new Set([
      ...(
        await executor
          .selectFrom('invoices')
          .select('currency')
          .distinct()
          .$if(some, (q) => q.where('customer_id', 'in', ids))
          .execute()
      ).map((r) => r.currency),
      ...promiseRows.map((r) => r.currency),
    ]),
  ];
  const { toTarget, missing } = await converter(executor, ratesOn, currency, currencies);
  const inReport = (amount: number, from: string) =>
    missing.includes(from) ? amount : toTarget(amount, from);

  const invoices = new Map<string, MutableInvoice>();
  const histories = new Map<
    string,
    {
      customerId: string;
      invoices: MutableInvoice[];
      promises: CustomerHistory['promises'][number][];
      signals: HistorySignal[];
    }
  >();
  const historyOf = (customerId: string) => {
    const known = histories.get(customerId);
    if (known) return known;
    const h = { customerId, invoices: [], promises: [], signals: [] };
    histories.set(customerId, h);
    return h;
  };
  // Streamed, in no particular order (an order by issue date walked the index a row at a time);
  // each customer's invoices are put in date order below.
  for await (const chunk of eachChunk(
    executor,
    executor
      .selectFrom('invoices')
      .select(['id', 'customer_id', 'issue_date', 'due_date', 'amount_minor', 'currency'])
      .$if(some, (q) => q.where('customer_id', 'in', ids))
      .compile(),
  ))
    for (const r of chunk) {
      const invoice: MutableInvoice = {
        id: r.id,
        issueDay: toEpochDay(r.issue_date as BusinessDate),
        dueDay: toEpochDay(r.due_date as BusinessDate),
        amountMinor: inReport(Number(r.amount_minor), r.currency),
        currency: r.currency,
        reductions: [],
      };
      invoices.set(r.id, invoice);
      historyOf(r.customer_id).invoices.push(invoice);
    }
  const reduce = (invoiceId: string, day: string, amount: number, kind: Reduction) => {
    const invoice = invoices.get(invoiceId);
    if (invoice)
      invoice.reductions.push({
        day: toEpochDay(day as BusinessDate),
        amountMinor: inReport(amount, invoice.currency),
        kind,
      });
  };
  for await (const chunk of eachChunk(
    executor,
    executor
      .selectFrom('allocations as a')
      .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
      .select(['a.invoice_id', 'a.applied_on as day', 'a.amount_minor'])
      .$if(some, (q) => q.where('i.customer_id', 'in', ids))
      .compile(),
  ))
    for (const a of chunk) reduce(a.invoice_id, a.day, Number(a.amount_minor), 'payment');
  for await (const chunk of eachChunk(
    executor,
    executor
      .selectFrom('credit_notes')
      .select(['invoice_id', 'issued_on as day', 'amount_minor', 'kind'])
      .$if(some, (q) => q.where('customer_id', 'in', ids))
      .compile(),
  ))
    for (const c of chunk)
      reduce(c.invoice_id, c.day, Number(c.amount_minor), c.kind === 'write_off' ? 'write_off' : 'credit');
  for (const h of histories.values())
    h.invoices.sort((x, y) => x.issueDay - y.issueDay || byCodeUnits(x.id ?? '', y.id ?? ''));
  for (const invoice of invoices.values()) invoice.reductions.sort((x, y) => x.day - y.day);
  for (const p of promiseRows)
    historyOf(p.customer_id).promises.push({
      recordedDay: toEpochDay(p.recorded_on as BusinessDate),
      promisedDay: toEpochDay(p.promised_on as BusinessDate),
      amountMinor: inReport(Number(p.amount_minor), p.currency),
      keptDay: p.status === 'kept' && p.settled_on ? toEpochDay(p.settled_on as BusinessDate) : null,
    });
  for (const s of signalRows)
    historyOf(s.customer_id).signals.push({
      day: toEpochDay(s.occurred_on as BusinessDate),
      severityRank: severityRank(s.severity as Severity),
    });
  return {
    currency,
    unconverted: missing,
    // By first invoice, then id: a customer known only after a day comes after all known by it, so
    // a caller numbering them sees the same numbers in the book as it stood then.
    histories: [...histories.values()].sort(
      (a, b) => firstDay(a) - firstDay(b) || byCodeUnits(a.customerId, b.customerId),
    ) as CustomerHistory[],
  };
}
