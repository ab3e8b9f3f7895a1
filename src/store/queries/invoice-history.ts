import { sql } from 'kysely';
import type { InvoiceHistory } from '../../core/scoring/behaviour.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import type { Executor } from '../write.js';

/** Invoices as payment history (one customer's, or the whole book's), oldest first per customer. */
export async function invoiceHistory(
  executor: Executor,
  customerId?: string,
): Promise<
  (InvoiceHistory & { invoiceId: string; customerId: string; segment: string; writtenOffMinor: number })[]
> {
  let query = executor
    .selectFrom('invoices as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select([
      'i.id',
      'i.customer_id',
      'c.segment',
      'i.issue_date',
      'i.due_date',
      'i.amount_minor',
      'i.settled_on',
      'i.open_minor',
      sql<number>`(select count(*) from allocations a where a.invoice_id = i.id)`.as('payments'),
      sql<number>`coalesce((select sum(n.amount_minor) from credit_notes n where n.invoice_id = i.id), 0)`.as(
        'credited',
      ),
      sql<number>`coalesce((select sum(n.amount_minor) from credit_notes n where n.invoice_id = i.id and n.kind = 'write_off'), 0)`.as(
        'written_off',
      ),
    ])
    .orderBy('i.customer_id')
    .orderBy('i.issue_date')
    // A fixed order for invoices of one day: a model fitted on them must not depend on how rows were stored.
    .orderBy('i.id');
  if (customerId) query = query.where('i.customer_id', '=', customerId);
  return (await query.execute()).map((r) => ({
    invoiceId: r.id,
    customerId: r.customer_id,
    segment: r.segment,
    issueDate: r.issue_date as BusinessDate,
    dueDate: r.due_date as BusinessDate,
    amountMinor: r.amount_minor,
    settledOn: r.settled_on as BusinessDate | null,
    openMinor: r.open_minor,
    creditedMinor: Number(r.credited),
    writtenOffMinor: Number(r.written_off),
    payments: Number(r.payments),
  }));
}
