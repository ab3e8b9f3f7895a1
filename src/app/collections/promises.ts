import type { Selectable } from 'kysely';
import { type PromiseStatus, promiseStatus } from '../../core/collections/promise.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { parseCurrency } from '../../core/money/currency.js';
import { requirePositiveMinor } from '../../core/receivables/invoice.js';
import { type BusinessDate, parseBusinessDate } from '../../core/time/business-date.js';
import type { AuditEntry } from '../../store/audit.js';
import { type PageRequest, paginate, sortOf } from '../../store/page.js';
import type { PaymentPromiseTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';
import { assertCustomerExists } from './contacts.js';

export interface NewPromise {
  readonly amountMinor: number;
  readonly currency: string;
  readonly promisedOn: string;
  readonly promisedBy: string;
}

export function promiseRecord(row: Selectable<PaymentPromiseTable>) {
  return {
    id: row.id,
    customerId: row.customer_id,
    amountMinor: row.amount_minor,
    currency: row.currency,
    promisedOn: row.promised_on,
    promisedBy: row.promised_by,
    recordedOn: row.recorded_on,
    recordedBy: row.recorded_by,
    status: row.status,
    paidMinor: row.paid_minor,
    settledOn: row.settled_on,
  };
}

/** Records a promise to pay (E3); while it is open, dunning waits for the customer. */
export async function recordPromise(services: Services, actor: Actor, customerId: string, input: NewPromise) {
  const amountMinor = requirePositiveMinor(input.amountMinor, 'amountMinor');
  const currency = parseCurrency(input.currency, 'currency');
  const promisedOn = parseBusinessDate(input.promisedOn, 'promisedOn');
  const promisedBy = requireText(input.promisedBy, 'promisedBy', 200);
  const today = services.clock.today();
  if (promisedOn < today)
    throw new DomainError('promise_in_past', 'promisedOn must not be before today', 'promisedOn');
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    await assertCustomerExists(trx, customerId);
    const row = {
      id: services.ids.next('ptp'),
      customer_id: customerId,
      amount_minor: amountMinor,
      currency,
      promised_on: promisedOn,
      promised_by: promisedBy,
      recorded_on: today,
      recorded_by: actor,
      status: 'open',
      paid_minor: 0,
      settled_on: null,
    };
    return insertOneAudited(trx, 'payment_promises', row, promiseRecord, {
      actor,
      now,
      action: 'promise.recorded',
    });
  });
}

export const PROMISE_SORTS = ['promisedOn', 'amount'] as const;

/** Promises to pay, soonest first unless sorted otherwise, a page at a time. */
export async function listPromises(
  executor: Executor,
  filter: PageRequest & { status?: string; customerId?: string; sort?: string },
) {
  let query = executor.selectFrom('payment_promises').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  return paginate(
    query,
    'payment_promises.id',
    filter,
    promiseRecord,
    sortOf(filter.sort ?? 'promisedOn', {
      promisedOn: { column: 'payment_promises.promised_on', valueOf: (r) => r.promised_on },
      amount: { column: 'payment_promises.amount_minor', valueOf: (r) => r.amount_minor },
    }),
  );
}

/**
 * Judges every open promise on `today` against the payments received since it was made, in the
 * caller's transaction. Returns the promises that broke today, for the collectors' worklist.
 */
export async function judgePromises(trx: Executor, today: BusinessDate, graceDays: number) {
  const open = await trx.selectFrom('payment_promises').selectAll().where('status', '=', 'open').execute();
  const changed: { before: Selectable<PaymentPromiseTable>; after: Selectable<PaymentPromiseTable> }[] = [];
  for (const promise of open) {
    const paid = await trx
      .selectFrom('payments')
      .select((eb) => eb.fn.sum<number>('amount_minor').as('sum'))
      .where('customer_id', '=', promise.customer_id)
      .where('currency', '=', promise.currency)
      .where('paid_on', '>=', promise.recorded_on)
      .where('paid_on', '<=', today)
      .executeTakeFirst();
    const paidMinor = Number(paid?.sum ?? 0);
    const status: PromiseStatus = promiseStatus(
      { amountMinor: promise.amount_minor, promisedOn: promise.promised_on as BusinessDate },
      paidMinor,
      today,
      graceDays,
    );
    if (status === 'open' && paidMinor === promise.paid_minor) continue;
    const after = { ...promise, status, paid_minor: paidMinor, settled_on: status === 'open' ? null : today };
    await trx
      .updateTable('payment_promises')
      .set({ status, paid_minor: paidMinor, settled_on: after.settled_on })
      .where('id', '=', promise.id)
      .execute();
    changed.push({ before: promise, after });
  }
  const audit: AuditEntry[] = changed.map((c) => ({
    action: `promise.${c.after.status === 'open' ? 'part_paid' : c.after.status}`,
    entityType: 'promise',
    entityId: c.after.id,
    before: promiseRecord(c.before),
    after: promiseRecord(c.after),
  }));
  return { audit, broken: changed.filter((c) => c.after.status === 'broken').map((c) => c.after) };
}
