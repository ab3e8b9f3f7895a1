import { DomainError } from '../../core/errors.js';
import { type InvoiceInput, validateInvoice } from '../../core/receivables/invoice.js';
import { appendAudit } from '../../store/audit.js';
import { invoiceRecord, orderRecord } from '../../store/records.js';
import { chunkOf, type Executor, translateConstraintError } from '../../store/write.js';
import { noteFirstTrade } from '../credit/profile-rows.js';
import { adjustExposure, orderExposure } from '../exposure/adjust-exposure.js';
import { rejectDuplicateIds, validateRows } from '../row-errors.js';
import type { Actor, Progress, Services } from '../services.js';
import { insertAudited, rejectTakenExternalIds } from '../write-records.js';
import { type CustomerRef, resolveCustomerIds } from './resolve-customers.js';

export interface NewInvoice extends InvoiceInput, CustomerRef {
  readonly orderId?: string | null;
}

/** Creates invoices all-or-nothing, each open for its full amount, with audit events. */
export async function createInvoices(
  services: Services,
  actor: Actor,
  inputs: readonly NewInvoice[],
  onProgress?: Progress,
) {
  const valid = validateRows(inputs, (input) => ({
    ...validateInvoice(input),
    ref: input,
    orderId: input.orderId ?? null,
  }));
  const now = services.clock.now().toISOString();
  return services.store.db
    .transaction()
    .execute(async (trx) => {
      const customerOf = await resolveCustomerIds(trx, inputs);
      const resolved = validateRows(valid, (invoice) => ({
        ...invoice,
        customerId: customerOf(invoice.ref),
      }));
      await rejectTakenExternalIds(
        trx,
        'invoices',
        resolved.map((i) => i.externalId),
      );
      await assertOrdersMatch(trx, resolved);
      const rows = resolved.map((i) => ({
        id: services.ids.next('inv'),
        external_id: i.externalId,
        customer_id: i.customerId,
        order_id: i.orderId,
        invoice_number: i.invoiceNumber,
        issue_date: i.issueDate,
        due_date: i.dueDate,
        amount_minor: i.amountMinor,
        currency: i.currency,
        open_minor: i.amountMinor,
        settled_on: null,
        created_at: now,
      }));
      const records = await insertAudited(
        trx,
        'invoices',
        rows,
        invoiceRecord,
        { actor, now, action: 'invoice.created' },
        onProgress,
      );
      await adjustExposure(
        trx,
        rows.map((r) => ({
          customerId: r.customer_id,
          currency: r.currency,
          receivablesMinor: r.amount_minor,
        })),
      );
      await noteFirstTrade(trx, rows);
      await linkOrders(trx, actor, now, rows);
      return records;
    })
    .catch(translateConstraintError);
}

const CHUNK = 2_000;
/** Accepted orders; `invoiced` without an invoice is history loaded from an ERP. */
const BILLABLE = new Set(['open', 'shipped', 'invoiced']);

/** An invoice that names an order must bill that customer's own, not yet invoiced order. */
async function assertOrdersMatch(
  trx: Executor,
  invoices: readonly { orderId: string | null; customerId: string }[],
) {
  const orderIds = invoices.flatMap((i) => (i.orderId ? [i.orderId] : []));
  const orders = new Map<string, { customer_id: string; invoice_id: string | null; status: string }>();
  for (const chunk of chunkOf(orderIds, CHUNK)) {
    const rows = await trx
      .selectFrom('orders')
      .select(['id', 'customer_id', 'invoice_id', 'status'])
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) orders.set(row.id, row);
  }
  validateRows(invoices, (invoice) => {
    if (!invoice.orderId) return;
    const order = orders.get(invoice.orderId);
    if (!order) throw new DomainError('unknown_order', `order ${invoice.orderId} does not exist`, 'orderId');
    if (order.customer_id !== invoice.customerId) {
      throw new DomainError(
        'order_customer_mismatch',
        `order ${invoice.orderId} belongs to another customer`,
        'orderId',
      );
    }
    if (!BILLABLE.has(order.status)) {
      throw new DomainError('order_not_billable', `order ${invoice.orderId} is ${order.status}`, 'orderId');
    }
    if (order.invoice_id)
      throw new DomainError(
        'order_already_invoiced',
        `order ${invoice.orderId} is already invoiced`,
        'orderId',
      );
  });
  rejectDuplicateIds(orderIds, new Set()); // one invoice per order
}

/** Marks billed orders invoiced (they now count as receivables, not as open orders). */
async function linkOrders(
  trx: Executor,
  actor: Actor,
  now: string,
  invoices: readonly { id: string; order_id: string | null }[],
) {
  const billed = invoices.filter((i) => i.order_id !== null);
  for (const chunk of chunkOf(billed, CHUNK)) {
    const ids = chunk.map((i) => i.order_id as string);
    const before = await trx.selectFrom('orders').selectAll().where('id', 'in', ids).execute();
    await trx
      .updateTable('orders')
      .set((eb) => ({
        status: 'invoiced',
        invoice_id: eb
          .selectFrom('invoices')
          .select('invoices.id')
          .whereRef('invoices.order_id', '=', 'orders.id')
          .limit(1),
      }))
      .where('id', 'in', ids)
      .execute();
    // Billed orders leave open orders / shipped-not-invoiced: the invoice now carries the exposure.
    await adjustExposure(
      trx,
      before.map((row) => {
        const part = orderExposure(row.status, row.credit_minor ?? row.amount_minor);
        return {
          customerId: row.customer_id,
          currency: row.currency,
          openOrdersMinor: -(part.openOrdersMinor ?? 0),
          shippedMinor: -(part.shippedMinor ?? 0),
        };
      }),
    );
    const invoiceOf = new Map(chunk.map((i) => [i.order_id as string, i.id]));
    await appendAudit(
      trx,
      actor,
      now,
      before.map((row) => ({
        action: 'order.invoiced',
        entityType: 'order',
        entityId: row.id,
        before: orderRecord(row),
        after: orderRecord({ ...row, status: 'invoiced', invoice_id: invoiceOf.get(row.id) ?? null }),
      })),
    );
  }
}
