import type { Selectable } from 'kysely';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { validateCreditNote } from '../../core/receivables/credit-note.js';
import { assertSettlementFits } from '../../core/receivables/open-amount.js';
import { appendAudit } from '../../store/audit.js';
import { type PageRequest, paginate, sortOf } from '../../store/page.js';
import type { WriteOffRequestTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';
import { actorNames } from '../auth/actor-names.js';
import { type Approver, assertAuthority, riskClassOf } from '../credit/authority.js';
import type { Actor, Services } from '../services.js';
import { creditNoteIn } from './issue-credit-note.js';

export interface WriteOffInput {
  readonly invoiceId: string;
  readonly externalId: string;
  readonly issuedOn?: string;
  readonly amountMinor: number;
  readonly reason: string;
}

export function writeOffRequestRecord(row: Selectable<WriteOffRequestTable>) {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    customerId: row.customer_id,
    externalId: row.external_id,
    issuedOn: row.issued_on,
    amountMinor: row.amount_minor,
    currency: row.currency,
    reason: row.reason,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    creditNoteId: row.credit_note_id,
  };
}

/**
 * Asks for a write-off of (part of) an invoice as bad debt (E7). Nothing changes in the ledger
 * until someone else with the authority for the amount and the customer's risk class approves.
 */
export async function requestWriteOff(services: Services, actor: Actor, input: WriteOffInput) {
  const today = services.clock.today();
  const note = validateCreditNote({ ...input, issuedOn: input.issuedOn ?? today });
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const invoice = await trx
      .selectFrom('invoices')
      .selectAll()
      .where('id', '=', input.invoiceId)
      .executeTakeFirst();
    if (!invoice)
      throw new DomainError('unknown_invoice', `invoice ${input.invoiceId} does not exist`, 'invoiceId');
    assertSettlementFits(note.amountMinor, invoice.open_minor, 'amountMinor');
    const taken = await trx
      .selectFrom('write_off_requests')
      .select('id')
      .where('external_id', '=', note.externalId)
      .executeTakeFirst();
    if (taken)
      throw new DomainError('duplicate_external_id', `write-off ${note.externalId} exists`, 'externalId');
    const row: Selectable<WriteOffRequestTable> = {
      id: services.ids.next('wor'),
      invoice_id: invoice.id,
      customer_id: invoice.customer_id,
      external_id: note.externalId,
      issued_on: note.issuedOn,
      amount_minor: note.amountMinor,
      currency: invoice.currency,
      reason: note.reason,
      status: 'pending',
      requested_by: actor,
      requested_at: now,
      decided_by: null,
      decided_at: null,
      decision_note: null,
      credit_note_id: null,
    };
    await trx.insertInto('write_off_requests').values(row).execute();
    const record = writeOffRequestRecord(row);
    await appendAudit(trx, actor, now, [
      {
        action: 'write_off.requested',
        entityType: 'invoice',
        entityId: invoice.id,
        before: null,
        after: record,
      },
    ]);
    return record;
  });
}

/**
 * Approves (four eyes, then the authority matrix's `write_off` approval for the amount and the
 * customer's risk class) or rejects a pending write-off. Approval writes the write-off entry in
 * the same transaction; the invoice is never edited.
 */
export async function decideWriteOff(
  services: Services,
  approver: Approver,
  requestId: string,
  decision: { approve: boolean; note: string },
) {
  const note = requireText(decision.note, 'note', 1000);
  const now = services.clock.now().toISOString();
  const today = services.clock.today();
  return services.store.db.transaction().execute(async (trx) => {
    const request = await forUpdate(
      trx.selectFrom('write_off_requests').selectAll().where('id', '=', requestId),
      services.store.dialect,
    ).executeTakeFirst();
    if (!request)
      throw new DomainError('write_off_request_not_found', `write-off request ${requestId} does not exist`);
    if (request.status !== 'pending')
      throw new DomainError(
        'write_off_request_decided',
        `write-off request ${requestId} is already ${request.status}`,
      );
    if (request.requested_by === approver.actor)
      throw new DomainError('four_eyes_violation', 'the requester cannot decide their own write-off');
    let creditNoteId: string | null = null;
    if (decision.approve) {
      await assertAuthority(
        trx,
        'write_off',
        approver,
        request.requested_by,
        request.amount_minor,
        request.currency as CurrencyCode,
        await riskClassOf(trx, { type: 'customer', id: request.customer_id }),
        today,
      );
      const written = await creditNoteIn(trx, services, approver.actor, {
        invoiceId: request.invoice_id,
        externalId: request.external_id,
        issuedOn: request.issued_on,
        amountMinor: request.amount_minor,
        reason: request.reason,
        kind: 'write_off',
      });
      creditNoteId = written.id;
    }
    const after = {
      ...request,
      status: decision.approve ? 'approved' : 'rejected',
      decided_by: approver.actor,
      decided_at: now,
      decision_note: note,
      credit_note_id: creditNoteId,
    };
    await trx
      .updateTable('write_off_requests')
      .set({
        status: after.status,
        decided_by: approver.actor,
        decided_at: now,
        decision_note: note,
        credit_note_id: creditNoteId,
      })
      .where('id', '=', requestId)
      .execute();
    const record = writeOffRequestRecord(after);
    await appendAudit(trx, approver.actor, now, [
      {
        action: `write_off.${after.status}`,
        entityType: 'invoice',
        entityId: request.invoice_id,
        before: writeOffRequestRecord(request),
        after: record,
      },
    ]);
    return record;
  });
}

export const WRITE_OFF_SORTS = ['requestedAt', 'amount'] as const;

/**
 * Write-off requests, oldest first unless sorted otherwise, a page at a time — with what an approver
 * decides on: whose invoice by name, its number and what is still open, who asked by name.
 */
export async function listWriteOffRequests(
  executor: Executor,
  filter: PageRequest & { status?: string; sort?: string },
) {
  let q = executor
    .selectFrom('write_off_requests')
    .innerJoin('invoices', 'invoices.id', 'write_off_requests.invoice_id')
    .innerJoin('customers', 'customers.id', 'write_off_requests.customer_id')
    .selectAll('write_off_requests')
    .select([
      'customers.name as customer_name',
      'invoices.invoice_number as invoice_number',
      'invoices.open_minor as invoice_open_minor',
    ]);
  if (filter.status) q = q.where('write_off_requests.status', '=', filter.status);
  const page = await paginate(
    q,
    'write_off_requests.id',
    filter,
    (row) => row,
    sortOf(filter.sort ?? 'requestedAt', {
      requestedAt: { column: 'write_off_requests.requested_at', valueOf: (r) => r.requested_at },
      amount: { column: 'write_off_requests.amount_minor', valueOf: (r) => r.amount_minor },
    }),
  );
  const people = await actorNames(
    executor,
    page.items.map((r) => r.requested_by),
  );
  return {
    items: page.items.map(({ customer_name, invoice_number, invoice_open_minor, ...row }) => ({
      ...writeOffRequestRecord(row),
      customerName: customer_name,
      invoiceNumber: invoice_number,
      invoiceOpenMinor: invoice_open_minor,
      requestedByName: people.get(row.requested_by) ?? row.requested_by,
    })),
    nextCursor: page.nextCursor,
  };
}
