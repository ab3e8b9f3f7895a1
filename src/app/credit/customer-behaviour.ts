import { sql } from 'kysely';
import { DomainError } from '../../core/errors.js';
import { behaviourFeatures } from '../../core/scoring/behaviour.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';

/** A customer's behavioural features from its own ledger, as of today. */
export async function customerBehaviour(executor: Executor, customerId: string, today: BusinessDate) {
  const customer = await executor
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
  const rows = await executor
    .selectFrom('invoices as i')
    .select([
      'i.issue_date',
      'i.due_date',
      'i.amount_minor',
      'i.settled_on',
      'i.open_minor',
      sql<number>`(select count(*) from allocations a where a.invoice_id = i.id)`.as('payments'),
      sql<number>`coalesce((select sum(c.amount_minor) from credit_notes c where c.invoice_id = i.id), 0)`.as(
        'credited',
      ),
    ])
    .where('i.customer_id', '=', customerId)
    .execute();
  const features = behaviourFeatures(
    rows.map((r) => ({
      issueDate: r.issue_date as BusinessDate,
      dueDate: r.due_date as BusinessDate,
      amountMinor: r.amount_minor,
      settledOn: r.settled_on as BusinessDate | null,
      openMinor: r.open_minor,
      creditedMinor: Number(r.credited),
      payments: Number(r.payments),
    })),
    today,
  );
  return { customerId, asOf: today, features };
}
