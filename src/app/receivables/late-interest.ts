import { DomainError } from '../../core/errors.js';
import { lateInterest } from '../../core/receivables/late-interest.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';

/**
 * Late-payment interest a customer owes under its contract terms, as of a date: per invoice paid
 * (or still open) after due date + grace, from the payments applied and credit notes issued.
 * A claim to present, not an entry: charging it is an invoice of its own.
 */
export async function customerLateInterest(executor: Executor, customerId: string, asOf: BusinessDate) {
  const profile = await executor
    .selectFrom('credit_profiles')
    .innerJoin('customers', 'customers.id', 'credit_profiles.customer_id')
    .select(['customers.currency', 'late_interest_percent', 'interest_grace_days'])
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  if (!profile) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
  const terms = {
    ratePercent: profile.late_interest_percent ?? 0,
    graceDays: profile.interest_grace_days ?? 0,
  };
  const base = { customerId, asOf, terms: { ...terms, agreed: profile.late_interest_percent !== null } };
  if (!terms.ratePercent) return { ...base, currency: profile.currency, totalsMinor: [], invoices: [] };
  const invoices = await executor
    .selectFrom('invoices')
    .select(['id', 'invoice_number', 'due_date', 'amount_minor', 'currency'])
    .where('customer_id', '=', customerId)
    .where('due_date', '<', asOf)
    .where((eb) => eb.or([eb('settled_on', 'is', null), eb('settled_on', '>', eb.ref('due_date'))]))
    .execute();
  const ids = invoices.map((i) => i.id);
  const reductions = ids.length
    ? [
        ...(await executor
          .selectFrom('allocations')
          .select(['invoice_id', 'applied_on as on', 'amount_minor'])
          .where('invoice_id', 'in', ids)
          .execute()),
        ...(await executor
          .selectFrom('credit_notes')
          .select(['invoice_id', 'issued_on as on', 'amount_minor'])
          .where('invoice_id', 'in', ids)
          .execute()),
      ]
    : [];
  const rows = invoices
    .map((i) => ({
      invoiceId: i.id,
      invoiceNumber: i.invoice_number,
      dueDate: i.due_date,
      currency: i.currency,
      ...lateInterest(
        {
          dueDate: i.due_date as BusinessDate,
          amountMinor: i.amount_minor,
          reductions: reductions
            .filter((r) => r.invoice_id === i.id)
            .map((r) => ({ on: r.on as BusinessDate, amountMinor: r.amount_minor })),
        },
        terms,
        asOf,
      ),
    }))
    .filter((r) => r.interestMinor > 0)
    .sort((a, b) => b.interestMinor - a.interestMinor);
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.currency, (totals.get(r.currency) ?? 0) + r.interestMinor);
  return {
    ...base,
    currency: profile.currency,
    totalsMinor: [...totals].map(([currency, interestMinor]) => ({ currency, interestMinor })),
    invoices: rows,
  };
}
