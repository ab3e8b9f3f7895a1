import { invariant } from '../errors.js';

/** Simple DSO: period-end receivables ÷ the period's credit sales × days in the period. */
export function simpleDso(receivablesMinor: number, creditSalesMinor: number, days: number): number | null {
  if (creditSalesMinor <= 0) return null;
  return (receivablesMinor / creditSalesMinor) * days;
}

export interface MonthSales {
  readonly creditSalesMinor: number;
  readonly days: number;
}

/**
 * Countback DSO at a month end: take the month's ending receivables; subtract that month's sales,
 * counting its days; while receivables remain, step back a month. When what remains is smaller
 * than a month's sales, add that month's days × (remaining ÷ its sales) and stop.
 * `months` runs newest first. If receivables outlast every month given, the days counted so far
 * are returned: a lower bound (history ran out), never a guess.
 */
export function countbackDso(receivablesMinor: number, months: readonly MonthSales[]): number {
  invariant(receivablesMinor >= 0, 'receivables must not be negative');
  let remaining = receivablesMinor;
  let days = 0;
  for (const month of months) {
    if (remaining <= 0) break;
    if (remaining <= month.creditSalesMinor) return days + month.days * (remaining / month.creditSalesMinor);
    remaining -= month.creditSalesMinor;
    days += month.days;
  }
  return days;
}

/** Best-possible DSO: current (not yet due) receivables ÷ credit sales × days. */
export function bestPossibleDso(currentMinor: number, creditSalesMinor: number, days: number): number | null {
  return simpleDso(currentMinor, creditSalesMinor, days);
}

/** ADD (average days delinquent) = DSO − best-possible DSO: the days lost to late payment. */
export function averageDaysDelinquent(dso: number | null, bestPossible: number | null): number | null {
  return dso === null || bestPossible === null ? null : dso - bestPossible;
}

/**
 * CEI (collection effectiveness index), in percent: what was collected of what could have been —
 * (opening + credit sales − ending total) ÷ (opening + credit sales − ending current) × 100.
 */
export function collectionEffectiveness(period: {
  readonly openingMinor: number;
  readonly creditSalesMinor: number;
  readonly endingTotalMinor: number;
  readonly endingCurrentMinor: number;
}): number | null {
  const collectible = period.openingMinor + period.creditSalesMinor - period.endingCurrentMinor;
  if (collectible <= 0) return null;
  return ((period.openingMinor + period.creditSalesMinor - period.endingTotalMinor) / collectible) * 100;
}

/** Bad-debt ratio = write-offs in the period ÷ credit sales in the period. */
export function badDebtRatio(writtenOffMinor: number, creditSalesMinor: number): number | null {
  return creditSalesMinor > 0 ? writtenOffMinor / creditSalesMinor : null;
}

/** Days in a `YYYY-MM` month. */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The `YYYY-MM` month `count` months after (or, negative, before) `month`. */
export function addMonths(month: string, count: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The months from `from` to `to` inclusive, `YYYY-MM`. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while ((y < ty || (y === ty && m <= tm)) && out.length < 1_200) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
