import { DomainError, invariant } from '../errors.js';

/** A calendar date with no time of day, `YYYY-MM-DD`: due dates, payment dates, as-of dates. */
export type BusinessDate = string & { readonly __businessDate: unique symbol };

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isBusinessDate(value: string): value is BusinessDate {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  // Date.UTC rolls 2025-02-30 over to March: a real date survives the round trip.
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

export function parseBusinessDate(value: string, field: string): BusinessDate {
  if (!isBusinessDate(value)) {
    throw new DomainError(
      'invalid_date',
      `${field} must be a real calendar date as YYYY-MM-DD, got "${value}"`,
      field,
    );
  }
  return value;
}

// A book has a few thousand distinct dates and whole-book reports ask for them millions of times.
const epochDays = new Map<string, number>();

/** Days since 1970-01-01: business-date arithmetic without time zones. */
export function toEpochDay(date: BusinessDate): number {
  let day = epochDays.get(date);
  if (day === undefined) {
    day = Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
    if (epochDays.size >= 100_000) epochDays.clear();
    epochDays.set(date, day);
  }
  return day;
}

export function fromEpochDay(epochDay: number): BusinessDate {
  invariant(Number.isInteger(epochDay), 'epoch day must be an integer');
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10) as BusinessDate;
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** `later − earlier` in days; negative when `later` is before `earlier`. */
export function daysBetween(earlier: BusinessDate, later: BusinessDate): number {
  return toEpochDay(later) - toEpochDay(earlier);
}

/** The business date of an instant, in UTC. */
export function businessDateOf(instant: Date): BusinessDate {
  return instant.toISOString().slice(0, 10) as BusinessDate;
}

export function addMonths(date: BusinessDate, months: number): BusinessDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return businessDateOf(first);
}

/** The last day of a month, given as YYYY-MM or as any date in it. */
export function monthEnd(monthOrDate: string): BusinessDate {
  const [y, m] = monthOrDate.split('-').map(Number) as [number, number];
  return businessDateOf(new Date(Date.UTC(y, m, 0)));
}
