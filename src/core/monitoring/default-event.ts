import type { CustomerHistory } from './customer-history.js';
import { openOn } from './customer-history.js';

/**
 * The day a customer first defaulted, or null: a write-off, or an invoice still open `lossDaysPastDue`
 * days after its due date (90 in the contract's definition). Each test reads only facts up to the
 * day it names, so a default is never known before it happened.
 */
export function defaultDay(history: CustomerHistory, lossDaysPastDue = 90): number | null {
  let first: number | null = null;
  const earlier = (day: number) => {
    if (first === null || day < first) first = day;
  };
  for (const invoice of history.invoices) {
    for (const r of invoice.reductions) if (r.kind === 'write_off') earlier(r.day);
    const lossDay = invoice.dueDay + lossDaysPastDue;
    if (openOn(invoice, lossDay) > 0) earlier(lossDay);
  }
  return first;
}
