import type { Selectable } from 'kysely';
import { DomainError } from '../../core/errors.js';
import { groupBy } from '../../core/group-by.js';
import { allocatePayment, type OpenInvoice } from '../../core/receivables/allocate-payment.js';
import { assertNotBeforeIssue } from '../../core/receivables/credit-note.js';
import { type PaymentInput, validatePayment } from '../../core/receivables/payment.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import { paymentRecord } from '../../store/records.js';
import type { InvoiceTable } from '../../store/schema.js';
import {
  chunkOf,
  type Executor,
  forUpdate,
  insertChunked,
  translateConstraintError,
} from '../../store/write.js';
import { validateRows } from '../row-errors.js';
import type { Actor, Progress, Services } from '../services.js';
import { rejectTakenExternalIds } from '../write-records.js';
import { type CustomerRef, resolveCustomerIds } from './resolve-customers.js';
import { writeInvoiceChanges } from './write-invoice-changes.js';

export interface NewPayment extends PaymentInput, CustomerRef {
  /** Settle this invoice only; without it the payment goes to open invoices oldest-first. */
  readonly invoiceId?: string;
  readonly invoiceExternalId?: string;
}

type InvoiceRow = Selectable<InvoiceTable>;
const CHUNK = 5_000;

/**
 * Records payments all-or-nothing and applies each to open invoices of its customer and currency,
 * in payment-date order, so a batch settles exactly as the same payments one by one would.
 * Σ allocations + unapplied = payment amount, for every payment.
 */
export async function recordPayments(
  services: Services,
  actor: Actor,
  inputs: readonly NewPayment[],
  onProgress?: Progress,
) {
  const valid = validateRows(inputs, (input) => ({
    ...validatePayment(input),
    invoiceId: input.invoiceId,
    invoiceExternalId: input.invoiceExternalId,
    ref: input,
  }));
  const now = services.clock.now().toISOString();
  const { dialect } = services.store;
  return services.store.db
    .transaction()
    .execute(async (trx) => {
      const customerOf = await resolveCustomerIds(trx, inputs);
      const withCustomer = validateRows(valid, (p) => ({ ...p, customerId: customerOf(p.ref) }));
      await rejectTakenExternalIds(
        trx,
        'payments',
        withCustomer.map((p) => p.externalId),
      );
      const invoices = await loadInvoices(trx, dialect, withCustomer);
      const resolved = validateRows(withCustomer, (p) => ({
        ...p,
        invoiceId: targetInvoice(p, invoices.byExternalId, invoices.byId),
      }));

      const openByAccount = groupByAccount(invoices.byId);
      const order = resolved
        .map((_, i) => i)
        .sort((a, b) => compareDates(resolved[a]?.paidOn, resolved[b]?.paidOn) || a - b);
      const paymentRows = [];
      const allocationRows = [];
      const before = new Map<string, InvoiceRow>();
      for (const index of order) {
        const p = resolved[index] as (typeof resolved)[number];
        const candidates = openCandidates(
          openByAccount.get(accountKey(p.customerId, p.currency)) ?? [],
          p.paidOn,
        );
        const result = allocatePayment(p.amountMinor, candidates, p.invoiceId);
        const paymentId = services.ids.next('pay');
        paymentRows.push({
          id: paymentId,
          external_id: p.externalId,
          customer_id: p.customerId,
          paid_on: p.paidOn,
          amount_minor: p.amountMinor,
          currency: p.currency,
          unapplied_minor: result.unappliedMinor,
          created_at: now,
        });
        for (const allocation of result.allocations) {
          const invoice = invoices.byId.get(allocation.invoiceId) as InvoiceRow;
          if (!before.has(invoice.id)) before.set(invoice.id, { ...invoice });
          invoice.open_minor -= allocation.amountMinor;
          if (invoice.open_minor === 0) invoice.settled_on = p.paidOn;
          allocationRows.push({
            id: services.ids.next('alc'),
            payment_id: paymentId,
            invoice_id: invoice.id,
            amount_minor: allocation.amountMinor,
            applied_on: p.paidOn,
            created_at: now,
          });
        }
      }
      await insertChunked(trx, 'payments', paymentRows, onProgress);
      await insertChunked(trx, 'allocations', allocationRows);
      await writeInvoiceChanges(trx, actor, now, 'invoice.payment_applied', before, invoices.byId);
      const allocationsByPayment = new Map<string, typeof allocationRows>();
      for (const a of allocationRows)
        allocationsByPayment.set(a.payment_id, [...(allocationsByPayment.get(a.payment_id) ?? []), a]);
      const records = paymentRows.map((row) => ({
        ...paymentRecord(row),
        allocations: (allocationsByPayment.get(row.id) ?? []).map((a) => ({
          invoiceId: a.invoice_id,
          amountMinor: a.amount_minor,
        })),
      }));
      await appendAudit(
        trx,
        actor,
        now,
        records.map((r) => ({
          action: 'payment.recorded',
          entityType: 'payment',
          entityId: r.id,
          before: null,
          after: r,
        })),
      );
      // Records in the caller's order, not allocation order.
      const byExternal = new Map(records.map((r) => [r.externalId, r]));
      return resolved.map((p) => byExternal.get(p.externalId) as (typeof records)[number]);
    })
    .catch(translateConstraintError);
}

function compareDates(a: string | undefined, b: string | undefined): number {
  return a === b ? 0 : (a ?? '') < (b ?? '') ? -1 : 1;
}

/** Open invoices of the paying customers, plus any invoice a payment names, locked for the batch. */
async function loadInvoices(
  trx: Executor,
  dialect: Services['store']['dialect'],
  payments: readonly (NewPayment & { customerId: string })[],
) {
  const byId = new Map<string, InvoiceRow>();
  const customerIds = [...new Set(payments.map((p) => p.customerId))];
  for (const chunk of chunkOf(customerIds, CHUNK)) {
    const rows = await forUpdate(
      trx.selectFrom('invoices').selectAll().where('customer_id', 'in', chunk).where('open_minor', '>', 0),
      dialect,
    ).execute();
    for (const row of rows) byId.set(row.id, row);
  }
  const namedIds = payments.flatMap((p) => (p.invoiceId ? [p.invoiceId] : []));
  const namedExternal = payments.flatMap((p) => (p.invoiceExternalId ? [p.invoiceExternalId] : []));
  const byExternalId = new Map<string, InvoiceRow>();
  for (const [column, values] of [
    ['id', namedIds],
    ['external_id', namedExternal],
  ] as const) {
    for (const chunk of chunkOf(values, CHUNK)) {
      const rows = await trx.selectFrom('invoices').selectAll().where(column, 'in', chunk).execute();
      for (const row of rows) {
        const shared = byId.get(row.id) ?? row;
        byId.set(row.id, shared);
        byExternalId.set(row.external_id, shared);
      }
    }
  }
  return { byId, byExternalId };
}

function targetInvoice(
  payment: NewPayment & { customerId: string; currency: string; paidOn: BusinessDate },
  byExternalId: ReadonlyMap<string, InvoiceRow>,
  byId: ReadonlyMap<string, InvoiceRow>,
): string | undefined {
  const field = payment.invoiceId !== undefined ? 'invoiceId' : 'invoiceExternalId';
  const key = payment.invoiceId ?? payment.invoiceExternalId;
  if (!key) return undefined;
  const invoice = payment.invoiceId !== undefined ? byId.get(key) : byExternalId.get(key);
  if (!invoice) throw new DomainError('unknown_invoice', `invoice ${key} does not exist`, field);
  if (invoice.customer_id !== payment.customerId) {
    throw new DomainError('invoice_customer_mismatch', `invoice ${key} belongs to another customer`, field);
  }
  if (invoice.currency !== payment.currency) {
    throw new DomainError(
      'currency_mismatch',
      `invoice ${key} is in ${invoice.currency}, the payment in ${payment.currency}`,
      'currency',
    );
  }
  assertNotBeforeIssue(payment.paidOn, invoice.issue_date as BusinessDate, 'paidOn');
  return invoice.id;
}

function accountKey(customerId: string, currency: string): string {
  return `${customerId}|${currency}`;
}

/** Invoices per customer and currency, so each payment looks only at its own account. */
function groupByAccount(invoices: ReadonlyMap<string, InvoiceRow>): Map<string, InvoiceRow[]> {
  return groupBy(invoices.values(), (row) => accountKey(row.customer_id, row.currency));
}

/** What a payment on `paidOn` may settle: still open and already issued. */
function openCandidates(account: readonly InvoiceRow[], paidOn: BusinessDate): OpenInvoice[] {
  const out: OpenInvoice[] = [];
  for (const row of account) {
    if (row.open_minor <= 0 || row.issue_date > paidOn) continue;
    out.push({
      invoiceId: row.id,
      issueDate: row.issue_date as BusinessDate,
      dueDate: row.due_date as BusinessDate,
      openMinor: row.open_minor,
    });
  }
  return out;
}
