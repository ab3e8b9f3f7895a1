import { DomainError } from '../../../core/errors.js';
import { type SettlementKind, validateCreditNote } from '../../../core/receivables/credit-note.js';
import { validateInvoice } from '../../../core/receivables/invoice.js';
import { validatePayment } from '../../../core/receivables/payment.js';
import { chunkOf, translateConstraintError } from '../../../store/write.js';
import { idsByExternalId } from '../../lookup.js';
import { createInvoices, type NewInvoice } from '../../receivables/create-invoices.js';
import { creditNoteIn } from '../../receivables/issue-credit-note.js';
import { type NewPayment, recordPayments } from '../../receivables/record-payments.js';
import { BatchRejected, type RowError } from '../../row-errors.js';
import { amountOf, type ImportKind, type Keyed, optional } from '../import-kind.js';

const MONEY_RECORD = 'a record of money is never edited: correct it with a credit note or a reversing entry';
const CHUNK = 5_000;

/** Stored records of money by external id, read back in the shape of a row (no field may change). */
function moneyRecords<I extends { externalId: string }>(
  read: (
    executor: Parameters<Keyed<I>['stored']>[0],
    externalIds: string[],
  ) => Promise<(I & { externalId: string })[]>,
): Keyed<I> {
  return {
    keyColumns: ['external_id'],
    keyOf: (input) => input.externalId,
    async stored(executor, inputs) {
      const found = new Map<string, I>();
      for (const ids of chunkOf(
        inputs.map((i) => i.externalId),
        CHUNK,
      ))
        for (const row of await read(executor, ids)) found.set(row.externalId, row);
      return found;
    },
    mutable: [],
    immutableWhy: MONEY_RECORD,
  };
}

export const invoices: ImportKind<NewInvoice> = {
  columns: [
    'external_id',
    'customer_external_id',
    'invoice_number',
    'issue_date',
    'due_date',
    'amount',
    'currency',
  ],
  optionalColumns: [],
  columnOf: { invoiceNumber: 'invoice_number', issueDate: 'issue_date', dueDate: 'due_date' },
  sample: {
    external_id: 'INV-2026-0001',
    customer_external_id: 'C-1001',
    invoice_number: 'FP-2026-0001',
    issue_date: '2026-01-05',
    due_date: '2026-02-04',
    amount: '1000.00',
    currency: 'CNY',
  },
  toInput: (r) => ({
    externalId: r.external_id ?? '',
    customerExternalId: r.customer_external_id ?? '',
    invoiceNumber: r.invoice_number ?? '',
    issueDate: r.issue_date ?? '',
    dueDate: r.due_date ?? '',
    amountMinor: amountOf(r),
    currency: r.currency ?? '',
  }),
  check: validateInvoice,
  references: [{ column: 'customer_external_id', table: 'customers' }],
  write: createInvoices,
  keyed: moneyRecords((executor, ids) =>
    executor
      .selectFrom('invoices')
      .innerJoin('customers', 'customers.id', 'invoices.customer_id')
      .select([
        'invoices.external_id as externalId',
        'customers.external_id as customerExternalId',
        'invoices.invoice_number as invoiceNumber',
        'invoices.issue_date as issueDate',
        'invoices.due_date as dueDate',
        'invoices.amount_minor as amountMinor',
        'invoices.currency',
      ])
      .where('invoices.external_id', 'in', ids)
      .execute(),
  ),
};

export const payments: ImportKind<NewPayment> = {
  columns: ['external_id', 'customer_external_id', 'paid_on', 'amount', 'currency'],
  optionalColumns: ['invoice_external_id'],
  columnOf: { paidOn: 'paid_on' },
  sample: {
    external_id: 'PAY-2026-0001',
    customer_external_id: 'C-1001',
    invoice_external_id: 'INV-2026-0001',
    paid_on: '2026-02-03',
    amount: '1000.00',
    currency: 'CNY',
  },
  toInput: (r) => {
    const invoiceExternalId = optional(r.invoice_external_id);
    return {
      externalId: r.external_id ?? '',
      customerExternalId: r.customer_external_id ?? '',
      ...(invoiceExternalId ? { invoiceExternalId } : {}),
      paidOn: r.paid_on ?? '',
      amountMinor: amountOf(r),
      currency: r.currency ?? '',
    };
  },
  check: validatePayment,
  references: [
    { column: 'customer_external_id', table: 'customers' },
    { column: 'invoice_external_id', table: 'invoices' },
  ],
  write: recordPayments,
  // Which invoices a payment settled is the allocation's matter, not the payment's: not compared.
  keyed: moneyRecords((executor, ids) =>
    executor
      .selectFrom('payments')
      .innerJoin('customers', 'customers.id', 'payments.customer_id')
      .select([
        'payments.external_id as externalId',
        'customers.external_id as customerExternalId',
        'payments.paid_on as paidOn',
        'payments.amount_minor as amountMinor',
        'payments.currency',
      ])
      .where('payments.external_id', 'in', ids)
      .execute(),
  ),
};

export interface ImportedCreditNote {
  readonly externalId: string;
  readonly invoiceExternalId: string;
  readonly issuedOn: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reason: string;
  readonly kind: string;
}

const SETTLEMENTS: readonly string[] = ['credit_note', 'write_off'] satisfies SettlementKind[];

export const creditNotes: ImportKind<ImportedCreditNote> = {
  columns: ['external_id', 'invoice_external_id', 'issued_on', 'amount', 'currency', 'reason'],
  optionalColumns: ['kind'],
  columnOf: { issuedOn: 'issued_on' },
  sample: {
    external_id: 'CN-2026-0001',
    invoice_external_id: 'INV-2026-0001',
    issued_on: '2026-01-20',
    amount: '100.00',
    currency: 'CNY',
    reason: 'price correction',
    kind: 'credit_note',
  },
  toInput: (r) => ({
    externalId: r.external_id ?? '',
    invoiceExternalId: r.invoice_external_id ?? '',
    issuedOn: r.issued_on ?? '',
    amountMinor: amountOf(r),
    currency: r.currency ?? '',
    reason: r.reason ?? '',
    kind: optional(r.kind) ?? 'credit_note',
  }),
  check(input) {
    if (!SETTLEMENTS.includes(input.kind))
      throw new DomainError('invalid_kind', `kind must be one of ${SETTLEMENTS.join(', ')}`, 'kind');
    return validateCreditNote(input);
  },
  references: [{ column: 'invoice_external_id', table: 'invoices' }],
  // All in one transaction: a note that does not fit its invoice's open amount refuses the file.
  async write(services, actor, inputs, onProgress) {
    const invoiceIds = await idsByExternalId(
      services.store.db,
      'invoices',
      inputs.map((n) => n.invoiceExternalId),
    );
    return services.store.db
      .transaction()
      .execute(async (trx) => {
        const errors: RowError[] = [];
        const written: unknown[] = [];
        for (const [index, note] of inputs.entries()) {
          try {
            const invoice = await trx
              .selectFrom('invoices')
              .select(['id', 'currency'])
              .where('id', '=', invoiceIds.get(note.invoiceExternalId) ?? '')
              .executeTakeFirst();
            if (invoice && invoice.currency !== note.currency)
              throw new DomainError(
                'currency_mismatch',
                `invoice ${note.invoiceExternalId} is in ${invoice.currency}`,
                'currency',
              );
            written.push(
              await creditNoteIn(trx, services, actor, {
                ...note,
                invoiceId: invoice?.id ?? '',
                kind: note.kind as SettlementKind,
              }),
            );
            onProgress(index + 1, inputs.length);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            errors.push({ index, field: error.field, code: error.code, message: error.message });
          }
        }
        if (errors.length > 0) throw new BatchRejected(errors);
        return written;
      })
      .catch(translateConstraintError);
  },
  keyed: moneyRecords((executor, ids) =>
    executor
      .selectFrom('credit_notes')
      .innerJoin('invoices', 'invoices.id', 'credit_notes.invoice_id')
      .select([
        'credit_notes.external_id as externalId',
        'invoices.external_id as invoiceExternalId',
        'credit_notes.issued_on as issuedOn',
        'credit_notes.amount_minor as amountMinor',
        'credit_notes.currency',
        'credit_notes.reason',
        'credit_notes.kind',
      ])
      .where('credit_notes.external_id', 'in', ids)
      .execute(),
  ),
};
