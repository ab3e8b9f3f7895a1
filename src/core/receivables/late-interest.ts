import { invariant } from '../errors.js';
import { divideRounded } from '../money/rounding.js';
import { addDays, type BusinessDate, daysBetween } from '../time/business-date.js';

/** A customer's contract terms for late payment (E7): a yearly rate and days of grace. */
export interface LateInterestTerms {
  /** Per year, in percent: 8.5 = 8.5 % a year. */
  readonly ratePercent: number;
  /** Interest runs from the due date plus these days. */
  readonly graceDays: number;
}

/** An invoice and what reduced it, on which days (payments applied, credit notes, write-offs). */
export interface InterestInvoice {
  readonly dueDate: BusinessDate;
  readonly amountMinor: number;
  readonly reductions: readonly { readonly on: BusinessDate; readonly amountMinor: number }[];
}

// Rates are held to 1/10,000 of a percent as integers, so the product with money stays exact.
const RATE_SCALE = 10_000;
const DAY_COUNT = 365;

/**
 * Simple interest, actual/365, on the balance outstanding each day after due date + grace, up to
 * and including `asOf`: Σ balance × rate × days ÷ 365, rounded once (half-even) to minor units.
 */
export function lateInterest(invoice: InterestInvoice, terms: LateInterestTerms, asOf: BusinessDate) {
  invariant(terms.ratePercent >= 0 && terms.ratePercent <= 100, 'rate within 0–100 % a year');
  invariant(Number.isInteger(terms.graceDays) && terms.graceDays >= 0, 'grace days ≥ 0');
  const start = addDays(invoice.dueDate, terms.graceDays);
  const rate = BigInt(Math.round(terms.ratePercent * RATE_SCALE));
  let balance = invoice.amountMinor;
  let from = start;
  let balanceDays = 0n; // Σ balance × days
  let daysLate = 0;
  const events = [...invoice.reductions].sort((a, b) => a.on.localeCompare(b.on));
  for (const event of [...events, { on: asOf, amountMinor: 0 }]) {
    const until = event.on < asOf ? event.on : asOf;
    if (until > from && balance > 0) {
      const days = daysBetween(from, until);
      balanceDays += BigInt(balance) * BigInt(days);
      daysLate += days;
    }
    if (until > from) from = until;
    if (event.on <= asOf) balance -= event.amountMinor;
  }
  const interestMinor = Number(
    divideRounded(balanceDays * rate, BigInt(100 * RATE_SCALE * DAY_COUNT), 'half_even'),
  );
  return { interestMinor, daysLate, startsOn: start };
}
