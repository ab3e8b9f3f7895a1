import { SingleBar } from 'cli-progress';
import { createCustomers, type NewCustomer } from '../app/customers/create-customers.js';
import {
  type CycleReadingInput,
  recordCycleReadings,
  validateCycleReading,
} from '../app/cycle/cycle-readings.js';
import { recordSignals } from '../app/external-data/record-signals.js';
import type { ImportEncoding } from '../app/imports/decode-text.js';
import { type HistoricalOrder, importOrders, validateHistoricalOrder } from '../app/orders/import-orders.js';
import { createInvoices, type NewInvoice } from '../app/receivables/create-invoices.js';
import { type NewPayment, recordPayments } from '../app/receivables/record-payments.js';
import { BatchRejected, validateRows } from '../app/row-errors.js';
import type { Progress, Services } from '../app/services.js';
import { validateCustomer } from '../core/customers/customer.js';
import { DomainError } from '../core/errors.js';
import { type SignalInput, validateSignal } from '../core/external-data/signals.js';
import { parseCurrency } from '../core/money/currency.js';
import { parseMajorAmount } from '../core/money/parse.js';
import { validateInvoice } from '../core/receivables/invoice.js';
import { validatePayment } from '../core/receivables/payment.js';
import { type ReadTable, readTable } from './read-table.js';

/** One canonical CSV kind (CONTRACT.md): its required columns (the optional ones may be left out), how a row becomes an input, how inputs are written. */
interface ImportKind<I> {
  readonly columns: readonly string[];
  /** Input field → CSV column, so errors name the column the user sees. */
  readonly columnOf: Readonly<Record<string, string>>;
  toInput(row: Record<string, string>): I;
  /** The core validation the write will apply, run first so one pass reports every bad row. */
  check(input: I): unknown;
  write(services: Services, actor: string, inputs: I[], onProgress: Progress): Promise<unknown[]>;
}

function amount(row: Record<string, string>): number {
  return parseMajorAmount(row.amount ?? '', parseCurrency(row.currency ?? '', 'currency'), 'amountMinor');
}

const optional = (value: string | undefined) => (value && value.length > 0 ? value : undefined);

const customers: ImportKind<NewCustomer> = {
  columns: ['external_id', 'name', 'country', 'currency', 'segment'],
  columnOf: {
    groupExternalId: 'group_external_id',
    salesOwner: 'sales_owner',
    registrationId: 'registration_id',
  },
  toInput: (r) => ({
    externalId: r.external_id ?? '',
    name: r.name ?? '',
    country: r.country ?? '',
    currency: r.currency ?? '',
    segment: r.segment ?? '',
    groupExternalId: optional(r.group_external_id) ?? null,
    salesOwner: optional(r.sales_owner) ?? null,
    registrationId: optional(r.registration_id) ?? null,
  }),
  check: validateCustomer,
  write: createCustomers,
};

const invoices: ImportKind<NewInvoice> = {
  columns: [
    'external_id',
    'customer_external_id',
    'invoice_number',
    'issue_date',
    'due_date',
    'amount',
    'currency',
  ],
  columnOf: { invoiceNumber: 'invoice_number', issueDate: 'issue_date', dueDate: 'due_date' },
  toInput: (r) => ({
    externalId: r.external_id ?? '',
    customerExternalId: r.customer_external_id ?? '',
    invoiceNumber: r.invoice_number ?? '',
    issueDate: r.issue_date ?? '',
    dueDate: r.due_date ?? '',
    amountMinor: amount(r),
    currency: r.currency ?? '',
  }),
  check: validateInvoice,
  write: createInvoices,
};

const payments: ImportKind<NewPayment> = {
  columns: ['external_id', 'customer_external_id', 'paid_on', 'amount', 'currency'],
  columnOf: { invoiceExternalId: 'invoice_external_id', paidOn: 'paid_on' },
  toInput: (r) => {
    const invoiceExternalId = optional(r.invoice_external_id);
    return {
      externalId: r.external_id ?? '',
      customerExternalId: r.customer_external_id ?? '',
      ...(invoiceExternalId ? { invoiceExternalId } : {}),
      paidOn: r.paid_on ?? '',
      amountMinor: amount(r),
      currency: r.currency ?? '',
    };
  },
  check: validatePayment,
  write: recordPayments,
};

const orders: ImportKind<HistoricalOrder> = {
  columns: ['external_id', 'customer_external_id', 'ordered_on', 'amount', 'currency'],
  columnOf: { orderedOn: 'ordered_on', shippedOn: 'shipped_on' },
  // History as the ERP decided it: no credit check. Without a status an order is taken as
  // invoiced (its invoice, imported on its own, is what counts in exposure); `open` or `shipped`
  // orders count as open or shipped exposure.
  toInput: (r) => ({
    externalId: r.external_id ?? '',
    customerExternalId: r.customer_external_id ?? '',
    orderedOn: r.ordered_on ?? '',
    amountMinor: amount(r),
    currency: r.currency ?? '',
    status: optional(r.status) ?? 'invoiced',
    shippedOn: optional(r.shipped_on) ?? null,
  }),
  check: validateHistoricalOrder,
  write: importOrders,
};

const signals: ImportKind<SignalInput> = {
  columns: ['source', 'source_ref', 'signal_type', 'occurred_on', 'summary'],
  columnOf: {
    sourceRef: 'source_ref',
    signalType: 'signal_type',
    occurredOn: 'occurred_on',
    registrationId: 'registration_id',
    amountMinor: 'amount',
  },
  // A provider's export names the buyer by its registration id (or the ERP's customer id); an
  // amount, when there is one, in major units of its currency.
  toInput: (r) => {
    const amount = optional(r.amount);
    return {
      source: r.source ?? '',
      sourceRef: r.source_ref ?? '',
      ...(optional(r.registration_id) ? { registrationId: r.registration_id } : {}),
      ...(optional(r.customer_external_id) ? { customerExternalId: r.customer_external_id } : {}),
      signalType: r.signal_type ?? '',
      occurredOn: r.occurred_on ?? '',
      severity: optional(r.severity) ?? null,
      amountMinor: amount
        ? parseMajorAmount(amount, parseCurrency(r.currency ?? '', 'currency'), 'amountMinor')
        : null,
      currency: optional(r.currency) ?? null,
      summary: r.summary ?? '',
    };
  },
  check: validateSignal,
  write: (services, actor, inputs) =>
    recordSignals(services, actor, inputs).then((r) => Array.from({ length: r.received + r.unchanged })),
};

const cycle: ImportKind<CycleReadingInput> = {
  columns: ['month', 'value'],
  columnOf: {},
  toInput: (r) => ({
    month: r.month ?? '',
    value: optional(r.value) === undefined ? Number.NaN : Number(r.value),
    ...(optional(r.source) ? { source: r.source } : {}),
  }),
  check: validateCycleReading,
  write: (services, actor, inputs) =>
    recordCycleReadings(services, actor, inputs).then((r) => Array.from({ length: r.recorded })),
};

export const IMPORT_KINDS = { customers, invoices, payments, orders, signals, cycle } as const;
export type ImportKindName = keyof typeof IMPORT_KINDS;

/** A problem with one cell, as the import report shows it. */
export interface ImportProblem {
  readonly row: number;
  readonly line: number;
  readonly column: string;
  readonly code: string;
  readonly reason: string;
}

export type ImportResult = { ok: true; imported: number } | { ok: false; problems: ImportProblem[] };

const SHARED_COLUMNS: Record<string, string> = {
  externalId: 'external_id',
  customerExternalId: 'customer_external_id',
  amountMinor: 'amount',
};

function snake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Imports one canonical CSV all-or-nothing: every row is checked, every problem reported with
 * its row (1 = first data row), line in the file and column; nothing is written unless all pass.
 */
export async function importCsv(
  services: Services,
  kindName: ImportKindName,
  file: string,
  options: { actor: string; progress: boolean; encoding?: ImportEncoding },
): Promise<ImportResult> {
  const kind = IMPORT_KINDS[kindName] as ImportKind<unknown>;
  const fileProblem = (code: string, reason: string, line = 0): ImportResult => ({
    ok: false,
    problems: [{ row: 0, line, column: '', code, reason }],
  });
  let table: ReadTable;
  try {
    table = await readTable(file, options.encoding);
  } catch (error) {
    if (error instanceof DomainError) return fileProblem(error.code, error.message);
    const e = error as { code?: unknown; lines?: number; message: string };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_'))
      return fileProblem('invalid_csv', e.message, e.lines ?? 0);
    throw error;
  }
  const { header, records } = table;
  if (header.length === 0)
    return fileProblem('empty_file', 'the file is empty: a header row and data rows are expected');
  const missing = kind.columns.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return {
      ok: false,
      problems: missing.map((column) => ({
        row: 0,
        line: 1,
        column,
        code: 'missing_column',
        reason: `the header has no column "${column}"`,
      })),
    };
  }
  if (records.length === 0)
    return fileProblem('no_rows', 'the file has a header row but no data rows: nothing to import', 2);
  const columnOf = (field: string | undefined) =>
    field === undefined ? '' : (kind.columnOf[field] ?? SHARED_COLUMNS[field] ?? snake(field));
  const toProblems = (error: BatchRejected): ImportProblem[] =>
    error.errors.map((e) => ({
      row: e.index + 1,
      line: records[e.index]?.info.lines ?? 0,
      column: columnOf(e.field),
      code: e.code,
      reason: e.message,
    }));

  const bar =
    options.progress && records.length >= 1_000
      ? new SingleBar({
          format: `${kindName} [{bar}] {percentage}% {value}/{total} rows  {eta_formatted} left`,
          hideCursor: true,
        })
      : null;
  try {
    const inputs = validateRows(records, (r) => {
      const input = kind.toInput(r.record);
      kind.check(input);
      return input;
    });
    bar?.start(inputs.length, 0);
    const written = await kind.write(services, options.actor, inputs, (done) => bar?.update(done));
    bar?.update(inputs.length);
    return { ok: true, imported: written.length };
  } catch (error) {
    if (error instanceof BatchRejected) return { ok: false, problems: toProblems(error) };
    throw error;
  } finally {
    bar?.stop();
  }
}
