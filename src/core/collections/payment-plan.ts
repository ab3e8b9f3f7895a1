import { DomainError } from '../errors.js';
import { splitProportionally } from '../money/allocate.js';
import { divideRounded } from '../money/rounding.js';
import { addDays, type BusinessDate, daysBetween } from '../time/business-date.js';

/** One instalment of a payment plan (E5). Interest is shown apart and not part of what is judged. */
export interface Instalment {
  readonly seq: number;
  readonly dueOn: BusinessDate;
  readonly principalMinor: number;
  readonly interestMinor: number;
}

export interface PlanTerms {
  readonly totalMinor: number;
  readonly count: number;
  readonly startsOn: BusinessDate;
  readonly firstDueOn: BusinessDate;
  readonly intervalDays: number;
  /** Simple interest per year on the principal still outstanding; 0 for none. */
  readonly annualRatePercent: number;
}

const RATE_SCALE = 10_000n;

/** Equal principal parts (the remainder spread by largest remainder), interest per period on what is left. */
export function planSchedule(terms: PlanTerms): Instalment[] {
  if (!(Number.isInteger(terms.count) && terms.count >= 1 && terms.count <= 60))
    throw new DomainError('invalid_request', 'instalments must be 1–60', 'instalments');
  if (!(Number.isInteger(terms.intervalDays) && terms.intervalDays >= 1 && terms.intervalDays <= 366))
    throw new DomainError('invalid_request', 'intervalDays must be 1–366', 'intervalDays');
  if (terms.firstDueOn < terms.startsOn)
    throw new DomainError(
      'invalid_request',
      'the first instalment cannot be due before the plan starts',
      'firstDueOn',
    );
  if (!(terms.annualRatePercent >= 0 && terms.annualRatePercent <= 100))
    throw new DomainError('invalid_request', 'annualRatePercent must be 0–100', 'annualRatePercent');
  const parts = splitProportionally(terms.totalMinor, new Array(terms.count).fill(1));
  const rate = BigInt(Math.round(terms.annualRatePercent * Number(RATE_SCALE)));
  let outstanding = terms.totalMinor;
  let from = terms.startsOn;
  return parts.map((principalMinor, i) => {
    const dueOn = addDays(terms.firstDueOn, i * terms.intervalDays);
    const days = BigInt(daysBetween(from, dueOn));
    const interestMinor = Number(
      divideRounded(BigInt(outstanding) * rate * days, 100n * RATE_SCALE * 365n, 'half_even'),
    );
    outstanding -= principalMinor;
    from = dueOn;
    return { seq: i + 1, dueOn, principalMinor, interestMinor };
  });
}

export type PlanStanding =
  | { readonly status: 'kept'; readonly paidMinor: number; readonly dueMinor: number }
  | { readonly status: 'completed'; readonly paidMinor: number }
  | {
      readonly status: 'broken';
      readonly paidMinor: number;
      readonly missedSeq: number;
      readonly missedOn: BusinessDate;
    };

/**
 * Judges a plan on `today` from the payments applied to its invoices since it started: kept while,
 * at every instalment's due date plus the grace days, the payments made by then cover all the
 * principal due by then; broken at the first instalment that was not; completed when all is paid.
 */
export function judgePlan(
  instalments: readonly Instalment[],
  payments: readonly { readonly on: BusinessDate; readonly amountMinor: number }[],
  graceDays: number,
  today: BusinessDate,
): PlanStanding {
  const paidBy = (date: BusinessDate) =>
    payments.filter((p) => p.on <= date).reduce((s, p) => s + p.amountMinor, 0);
  const total = instalments.reduce((s, i) => s + i.principalMinor, 0);
  const paidMinor = paidBy(today);
  if (paidMinor >= total) return { status: 'completed', paidMinor };
  let dueMinor = 0;
  for (const instalment of instalments) {
    const deadline = addDays(instalment.dueOn, graceDays);
    if (instalment.dueOn <= today) dueMinor += instalment.principalMinor;
    if (deadline >= today) continue;
    const dueByThen = instalments
      .filter((i) => i.seq <= instalment.seq)
      .reduce((s, i) => s + i.principalMinor, 0);
    if (paidBy(deadline) < dueByThen)
      return { status: 'broken', paidMinor, missedSeq: instalment.seq, missedOn: instalment.dueOn };
  }
  return { status: 'kept', paidMinor, dueMinor };
}
