import type { ExpressionBuilder } from 'kysely';
import type { CurrencyCode } from '../../core/money/currency.js';
import { formatMajorAmount } from '../../core/money/parse.js';
import type { Database } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';

export interface InvoiceLedgerFilter {
  readonly customerId?: string | undefined;
  readonly status?: 'open' | 'settled' | undefined;
}

export const INVOICE_LEDGER_COLUMNS = [
  'invoiceId',
  'externalId',
  'invoiceNumber',
  'customerId',
  'customerName',
  'issueDate',
  'dueDate',
  'currency',
  'amount',
  'openAmount',
  'settledOn',
] as const;

/** Major units as a number a spreadsheet sums (written from the exact decimal, never from a float sum). */
const major = (minor: number, currency: string) => Number(formatMajorAmount(minor, currency as CurrencyCode));

/**
 * Rows a page: a process of its own (the CLI) reads large pages; the server reads small ones and
 * lets requests through between them (a 5,000-row page of XLSX held the loop ~200 ms).
 */
export const LEDGER_PAGE = { process: 5_000, server: 250 } as const;

/** The filter as a condition on `invoices as i`. */
const matching = (filter: InvoiceLedgerFilter) => (eb: ExpressionBuilder<{ i: Database['invoices'] }, 'i'>) =>
  eb.and([
    ...(filter.customerId ? [eb('i.customer_id', '=', filter.customerId)] : []),
    ...(filter.status === 'open' ? [eb('i.open_minor', '>', 0)] : []),
    ...(filter.status === 'settled' ? [eb('i.open_minor', '=', 0)] : []),
  ]);

/** How many invoices the filter takes: the total a progress bar counts towards. */
export async function invoiceLedgerCount(executor: Executor, filter: InvoiceLedgerFilter = {}) {
  const row = await executor
    .selectFrom('invoices as i')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(matching(filter))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Every invoice (or a customer's, or the open / settled ones), with its customer's name, read a
 * page at a time (by id, so PostgreSQL too hands over one page at a time) as the writer takes them:
 * the whole ledger never sits in memory.
 */
export async function* invoiceLedger(
  executor: Executor,
  filter: InvoiceLedgerFilter = {},
  page: number = LEDGER_PAGE.process,
): AsyncGenerator<(string | number | null)[][]> {
  let after = '';
  for (;;) {
    const query = executor
      .selectFrom('invoices as i')
      .innerJoin('customers as c', 'c.id', 'i.customer_id')
      .select([
        'i.id',
        'i.external_id',
        'i.invoice_number',
        'i.customer_id',
        'c.name',
        'i.issue_date',
        'i.due_date',
        'i.currency',
        'i.amount_minor',
        'i.open_minor',
        'i.settled_on',
      ])
      .where('i.id', '>', after)
      .orderBy('i.id')
      .limit(page);
    const rows = await query.where(matching(filter)).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => [
      r.id,
      r.external_id,
      r.invoice_number,
      r.customer_id,
      r.name,
      r.issue_date,
      r.due_date,
      r.currency,
      major(Number(r.amount_minor), r.currency),
      major(Number(r.open_minor), r.currency),
      r.settled_on,
    ]);
    after = rows[rows.length - 1]?.id as string;
    if (rows.length < page) return;
  }
}
