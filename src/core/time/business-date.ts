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

const digit = (text: string, at: number) => text.charCodeAt(at) - 48;

/**
 * Days since 1970-01-01: business-date arithmetic without time zones. Computed from the digits
 * (days-from-civil, proleptic Gregorian): whole-book reports and the demo seed ask millions of
 * times, and a parse or a cache lookup by string cost more than the arithmetic.
 */
export function toEpochDay(date: BusinessDate): number {
  const month = digit(date, 5) * 10 + digit(date, 6);
  const day = digit(date, 8) * 10 + digit(date, 9);
  // Years counted from March, so the leap day falls at the end of the year.
  const year =
    digit(date, 0) * 1000 +
    digit(date, 1) * 100 +
    digit(date, 2) * 10 +
    digit(date, 3) -
    (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

// A book has a few thousand distinct dates: each is formatted once.
const dates = new Map<number, BusinessDate>();

export function fromEpochDay(epochDay: number): BusinessDate {
  let date = dates.get(epochDay);
  if (date === undefined) {
    invariant(Number.isInteger(epochDay), 'epoch day must be an integer');
    date = new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10) as BusinessDate;
    if (dates.size >= 100_000) dates.clear();
    dates.set(epochDay, date);
  }
  return date;
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
  // The day number, not toISOString(): every order asks for today (an ISO string per call was 1 %).
  return fromEpochDay(Math.floor(instant.getTime() / MS_PER_DAY));
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The same day `months` later (earlier when negative), or the month's last day when it is shorter. */
export function addMonths(date: BusinessDate, months: number): BusinessDate {
  const monthIndex =
    (digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3)) * 12 +
    digit(date, 5) * 10 +
    digit(date, 6) -
    1 +
    months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = month === 1 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month] as number);
  const day = Math.min(digit(date, 8) * 10 + digit(date, 9), lastDay);
  return `${String(year).padStart(4, '0')}-${twoDigits(month + 1)}-${twoDigits(day)}` as BusinessDate;
}

/** The last day of a month, given as YYYY-MM or as any date in it. */
export function monthEnd(monthOrDate: string): BusinessDate {
  const [y, m] = monthOrDate.split('-').map(Number) as [number, number];
  return businessDateOf(new Date(Date.UTC(y, m, 0)));
}
