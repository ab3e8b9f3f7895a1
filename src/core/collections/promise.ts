import { addDays, type BusinessDate } from '../time/business-date.js';

export type PromiseStatus = 'open' | 'kept' | 'broken';

/**
 * A promise to pay is kept once the customer has paid the promised amount since it was made; it
 * is broken when the promised date plus the grace days has passed without that.
 */
export function promiseStatus(
  promise: { readonly amountMinor: number; readonly promisedOn: BusinessDate },
  paidSinceMinor: number,
  today: BusinessDate,
  graceDays: number,
): PromiseStatus {
  if (paidSinceMinor >= promise.amountMinor) return 'kept';
  return today > addDays(promise.promisedOn, graceDays) ? 'broken' : 'open';
}
