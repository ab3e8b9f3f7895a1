import type { Selectable } from 'kysely';
import {
  DISPUTE_REASONS,
  DISPUTE_RESOLUTIONS,
  type DisputeReason,
  type DisputeResolution,
} from '../../core/collections/dispute.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { requirePositiveMinor } from '../../core/receivables/invoice.js';
import { type BusinessDate, daysBetween, parseBusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import { type PageRequest, paginate, sortOf } from '../../store/page.js';
import type { DisputeTable } from '../../store/schema.js';
import { type Executor, forUpdate, translateConstraintError } from '../../store/write.js';
import { type Approver, assertAuthority, riskClassOf } from '../credit/authority.js';
import { creditNoteIn } from '../receivables/issue-credit-note.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';

export interface NewDispute {
  readonly amountMinor: number;
  readonly reason: string;
  readonly note: string;
  readonly owner: string;
  readonly dueOn: string;
}

export function disputeRecord(row: Selectable<DisputeTable>, today: BusinessDate) {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    customerId: row.customer_id,
    amountMinor: row.amount_minor,
    currency: row.currency,
    reason: row.reason,
    note: row.note,
    owner: row.owner,
    dueOn: row.due_on,
    openedOn: row.opened_on,
    openedBy: row.opened_by,
    status: row.status,
    resolution: row.resolution,
    resolutionNote: row.resolution_note,
    resolvedOn: row.resolved_on,
    resolvedBy: row.resolved_by,
    ageDays: daysBetween(row.opened_on as BusinessDate, (row.resolved_on ?? today) as BusinessDate),
  };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new DomainError(`invalid_${field}`, `${field} must be one of ${allowed.join(', ')}`, field);
  return value as T;
}

/**
 * Opens a dispute on (part of) an invoice (E4). While it is open, dunning leaves the invoice alone
 * and aging shows the disputed amount apart. The disputed amounts of one invoice never exceed
 * what is open on it.
 */
export async function openDispute(services: Services, actor: Actor, invoiceId: string, input: NewDispute) {
  const amountMinor = requirePositiveMinor(input.amountMinor, 'amountMinor');
  const reason: DisputeReason = oneOf(input.reason, DISPUTE_REASONS, 'reason');
  const note = requireText(input.note, 'note', 2000);
  const owner = requireText(input.owner, 'owner', 100);
  const dueOn = parseBusinessDate(input.dueOn, 'dueOn');
  const today = services.clock.today();
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const invoice = await forUpdate(
      trx.selectFrom('invoices').selectAll().where('id', '=', invoiceId),
      services.store.dialect,
    ).executeTakeFirst();
    if (!invoice) throw new DomainError('invoice_not_found', `invoice ${invoiceId} does not exist`);
    const disputed = await openDisputedMinor(trx, invoiceId);
    if (disputed + amountMinor > invoice.open_minor) {
      throw new DomainError(
        'exceeds_open_amount',
        `${amountMinor} would bring the disputed amount to ${disputed + amountMinor}, above the ${invoice.open_minor} open on the invoice`,
        'amountMinor',
      );
    }
    const row = {
      id: services.ids.next('dsp'),
      invoice_id: invoiceId,
      customer_id: invoice.customer_id,
      amount_minor: amountMinor,
      currency: invoice.currency,
      reason,
      note,
      owner,
      due_on: dueOn,
      opened_on: today,
      opened_by: actor,
      status: 'open',
      resolution: null,
      resolution_note: null,
      resolved_on: null,
      resolved_by: null,
    };
    return insertOneAudited(trx, 'disputes', row, (r) => disputeRecord(r, today), {
      actor,
      now,
      action: 'dispute.opened',
    });
  });
}

async function openDisputedMinor(executor: Executor, invoiceId: string): Promise<number> {
  const row = await executor
    .selectFrom('disputes')
    .select((eb) => eb.fn.sum<number>('amount_minor').as('sum'))
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(row?.sum ?? 0);
}

/**
 * Resolves a dispute: `credit_note` or `written_off` settle the disputed amount (at most what is
 * still open) by a reversing entry in the same transaction; `valid` means the invoice stands and
 * dunning resumes. Writing off is bad debt: the resolver needs the authority matrix's `write_off`
 * approval for the amount and may not be whoever opened the dispute.
 */
export async function resolveDispute(
  services: Services,
  resolver: Approver,
  disputeId: string,
  input: { resolution: string; note: string },
) {
  const resolution: DisputeResolution = oneOf(input.resolution, DISPUTE_RESOLUTIONS, 'resolution');
  const note = requireText(input.note, 'note', 2000);
  const today = services.clock.today();
  const now = services.clock.now().toISOString();
  return services.store.db
    .transaction()
    .execute(async (trx) => {
      const before = await forUpdate(
        trx.selectFrom('disputes').selectAll().where('id', '=', disputeId),
        services.store.dialect,
      ).executeTakeFirst();
      if (!before) throw new DomainError('dispute_not_found', `dispute ${disputeId} does not exist`);
      if (before.status !== 'open')
        throw new DomainError('dispute_not_open', `dispute ${disputeId} is already resolved`);
      let settledMinor = 0;
      if (resolution !== 'valid') {
        const invoice = await trx
          .selectFrom('invoices')
          .select('open_minor')
          .where('id', '=', before.invoice_id)
          .executeTakeFirstOrThrow();
        settledMinor = Math.min(before.amount_minor, invoice.open_minor);
        if (resolution === 'written_off' && settledMinor > 0)
          await assertAuthority(
            trx,
            'write_off',
            resolver,
            before.opened_by,
            settledMinor,
            before.currency as CurrencyCode,
            await riskClassOf(trx, { type: 'customer', id: before.customer_id }),
            today,
          );
        if (settledMinor > 0)
          await creditNoteIn(trx, services, resolver.actor, {
            invoiceId: before.invoice_id,
            externalId: `DISPUTE-${disputeId}`,
            issuedOn: today,
            amountMinor: settledMinor,
            reason: `dispute (${before.reason}) resolved: ${note}`,
            kind: resolution === 'credit_note' ? 'credit_note' : 'write_off',
          });
      }
      const after = {
        ...before,
        status: 'resolved',
        resolution,
        resolution_note: note,
        resolved_on: today,
        resolved_by: resolver.actor,
      };
      await trx.updateTable('disputes').set(after).where('id', '=', disputeId).execute();
      const record = disputeRecord(after, today);
      await appendAudit(trx, resolver.actor, now, [
        {
          action: 'dispute.resolved',
          entityType: 'dispute',
          entityId: disputeId,
          before: disputeRecord(before, today),
          after: record,
        },
      ]);
      return { ...record, settledMinor };
    })
    .catch(translateConstraintError);
}

export const DISPUTE_SORTS = ['openedOn', 'amount', 'dueOn'] as const;

/** Disputes, oldest first unless sorted otherwise, a page at a time, each with its customer's name. */
export async function listDisputes(
  executor: Executor,
  today: BusinessDate,
  filter: PageRequest & { status?: string; customerId?: string; sort?: string },
) {
  let query = executor
    .selectFrom('disputes')
    .innerJoin('customers', 'customers.id', 'disputes.customer_id')
    .selectAll('disputes')
    .select('customers.name as customer_name');
  if (filter.status) query = query.where('disputes.status', '=', filter.status);
  if (filter.customerId) query = query.where('disputes.customer_id', '=', filter.customerId);
  // By the customer's name in lists (the collectors' screen), as everywhere else.
  return paginate(
    query,
    'disputes.id',
    filter,
    ({ customer_name, ...r }) => ({ ...disputeRecord(r, today), customerName: customer_name }),
    sortOf(filter.sort ?? 'openedOn', {
      openedOn: { column: 'disputes.opened_on', valueOf: (r) => r.opened_on },
      amount: { column: 'disputes.amount_minor', valueOf: (r) => r.amount_minor },
      dueOn: { column: 'disputes.due_on', valueOf: (r) => r.due_on },
    }),
  );
}
