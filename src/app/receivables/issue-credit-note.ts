import { DomainError } from '../../core/errors.js';
import {
  assertNotBeforeIssue,
  type CreditNoteInput,
  type SettlementKind,
  validateCreditNote,
} from '../../core/receivables/credit-note.js';
import { assertSettlementFits } from '../../core/receivables/open-amount.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import { creditNoteRecord } from '../../store/records.js';
import { type Executor, forUpdate, translateConstraintError } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { rejectTakenExternalIds } from '../write-records.js';
import { writeInvoiceChanges } from './write-invoice-changes.js';

export interface NewCreditNote extends CreditNoteInput {
  readonly invoiceId: string;
  readonly kind: SettlementKind;
}

/**
 * Reduces an invoice's open amount by a credit note (price, quality, returns) or a write-off
 * (bad debt). Either is a new reversing entry; the invoice's own amount is never edited.
 */
export async function issueCreditNote(services: Services, actor: Actor, input: NewCreditNote) {
  return services.store.db
    .transaction()
    .execute((trx) => creditNoteIn(trx, services, actor, input))
    .catch(translateConstraintError);
}

/** The same, in the caller's transaction (a dispute resolved by a credit note or a write-off). */
export async function creditNoteIn(trx: Executor, services: Services, actor: Actor, input: NewCreditNote) {
  const note = validateCreditNote(input);
  const now = services.clock.now().toISOString();
  const invoice = await forUpdate(
    trx.selectFrom('invoices').selectAll().where('id', '=', input.invoiceId),
    services.store.dialect,
  ).executeTakeFirst();
  if (!invoice)
    throw new DomainError('unknown_invoice', `invoice ${input.invoiceId} does not exist`, 'invoiceId');
  await rejectTakenExternalIds(trx, 'credit_notes', [note.externalId]);
  assertNotBeforeIssue(note.issuedOn, invoice.issue_date as BusinessDate, 'issuedOn');
  assertSettlementFits(note.amountMinor, invoice.open_minor, 'amountMinor');
  const row = {
    id: services.ids.next(input.kind === 'write_off' ? 'wof' : 'crn'),
    external_id: note.externalId,
    customer_id: invoice.customer_id,
    invoice_id: invoice.id,
    kind: input.kind,
    issued_on: note.issuedOn,
    amount_minor: note.amountMinor,
    currency: invoice.currency,
    reason: note.reason,
    created_at: now,
  };
  await trx.insertInto('credit_notes').values(row).execute();
  const open = invoice.open_minor - note.amountMinor;
  const after = {
    ...invoice,
    open_minor: open,
    settled_on: open === 0 ? await lastReductionOn(trx, invoice.id, note.issuedOn) : null,
  };
  await writeInvoiceChanges(
    trx,
    actor,
    now,
    `invoice.${input.kind}_applied`,
    new Map([[invoice.id, invoice]]),
    new Map([[invoice.id, after]]),
  );
  const record = creditNoteRecord(row);
  await appendAudit(trx, actor, now, [
    { action: `${input.kind}.issued`, entityType: input.kind, entityId: row.id, before: null, after: record },
  ]);
  return record;
}

/**
 * The day an invoice closed: the latest of its reductions, this one included — a credit note dated
 * before a payment already applied does not settle the invoice before that payment came.
 */
async function lastReductionOn(trx: Executor, invoiceId: string, day: BusinessDate): Promise<BusinessDate> {
  const { paid } = await trx
    .selectFrom('allocations')
    .select((eb) => eb.fn.max('applied_on').as('paid'))
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  const { credited } = await trx
    .selectFrom('credit_notes')
    .select((eb) => eb.fn.max('issued_on').as('credited'))
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  return [day, paid, credited].reduce<string>((a, b) => (b && b > a ? b : a), day) as BusinessDate;
}
