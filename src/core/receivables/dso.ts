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

/** Days in a `YYYY-MM` month. */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
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
