import { DomainError } from '../../core/errors.js';
import {
  backtestForecast,
  bookLateness,
  cashInByWeek,
  forecastPayment,
  ownDaysLate,
  pooledAsOf,
  RECENT_BOOK,
} from '../../core/forecast/payment-date.js';
import { openOn } from '../../core/monitoring/customer-history.js';
import {
  type BusinessDate,
  daysBetween,
  fromEpochDay,
  parseBusinessDate,
  toEpochDay,
} from '../../core/time/business-date.js';
import { readBookHistories } from '../monitoring/book-histories.js';
import type { Services } from '../services.js';

/**
 * Each open invoice of a customer with its forecast payment date and interval (D4), as of today,
 * in the invoice's own currency.
 */
export async function customerPaymentForecast(services: Services, customerId: string) {
  const { db } = services.store;
  const customer = await db
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
  const today = services.clock.today();
  const day = toEpochDay(today);
  const { histories } = await readBookHistories(db, today, [customerId]);
  const history = histories[0];
  const own = history ? ownDaysLate(history, day) : [];
  // The book's recent lateness, straight from the settled invoices (no write-off): one query.
  const recent = await db
    .selectFrom('invoices as i')
    .select(['i.due_date', 'i.settled_on'])
    .where('i.settled_on', 'is not', null)
    .where('i.settled_on', '<=', today)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('credit_notes as c')
            .select('c.id')
            .whereRef('c.invoice_id', '=', 'i.id')
            .where('c.kind', '=', 'write_off'),
        ),
      ),
    )
    .orderBy('i.settled_on', 'desc')
    .limit(RECENT_BOOK)
    .execute();
  const pooled = recent.map((r) => daysBetween(r.due_date as BusinessDate, r.settled_on as BusinessDate));
  const open = (history?.invoices ?? []).filter((i) => openOn(i, day) > 0);
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'invoice_number', 'due_date', 'open_minor', 'currency'])
    .where('id', 'in', open.length > 0 ? open.map((i) => i.id as string) : [''])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    asOf: today,
    items: open.map((invoice) => {
      const f = forecastPayment(invoice, own, pooled, day);
      const row = byId.get(invoice.id as string);
      return {
        invoiceId: invoice.id as string,
        invoiceNumber: row?.invoice_number ?? '',
        dueDate: row?.due_date ?? fromEpochDay(invoice.dueDay),
        openMinor: Number(row?.open_minor ?? 0),
        currency: row?.currency ?? '',
        expectedOn: fromEpochDay(f.expectedDay),
        earliestOn: fromEpochDay(f.earliestDay),
        latestOn: fromEpochDay(f.latestDay),
        basis: f.basis,
      };
    }),
  };
}

/** Each open invoice of the book with the day it is expected to be paid, in the report currency. */
export async function openBookForecasts(services: Services) {
  const today = services.clock.today();
  const day = toEpochDay(today);
  const { currency, histories, unconverted } = await readBookHistories(services.store.db, today);
  const pooled = pooledAsOf(bookLateness(histories, day), day);
  const forecasts = histories.flatMap((h) => {
    const own = ownDaysLate(h, day);
    return h.invoices
      .filter((i) => openOn(i, day) > 0)
      .map((i) => ({
        customerId: h.customerId,
        expectedDay: forecastPayment(i, own, pooled, day).expectedDay,
        openMinor: openOn(i, day),
      }));
  });
  return { today, day, currency, unconverted, forecasts };
}

/** The book's expected cash-in by week for the next `weeks` weeks, in the report currency. */
export async function cashForecast(services: Services, input: { weeks?: number } = {}) {
  const weeks = input.weeks ?? 13;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104)
    throw new DomainError('invalid_setting', 'weeks must be a whole number from 1 to 104', 'weeks');
  const { today, day, currency, unconverted, forecasts } = await openBookForecasts(services);
  const byWeek = cashInByWeek(forecasts, day, weeks);
  const inWindow = byWeek.reduce((s, x) => s + x, 0);
  const openMinor = forecasts.reduce((s, f) => s + f.openMinor, 0);
  return {
    asOf: today,
    currency,
    weeks: byWeek.map((expectedMinor, k) => ({
      from: fromEpochDay(day + 7 * k + 1),
      to: fromEpochDay(day + 7 * k + 7),
      expectedMinor,
    })),
    openMinor,
    laterMinor: openMinor - inWindow,
    unconvertedCurrencies: unconverted,
  };
}

/** The forecast's back-test: its error in days against the naive one, over invoices paid between two dates. */
export async function forecastBacktest(services: Services, input: { from: string; to: string }) {
  const from = parseBusinessDate(input.from, 'from');
  const to = parseBusinessDate(input.to, 'to');
  if (from > to) throw new DomainError('invalid_range', 'from must not be after to', 'from');
  const { histories } = await readBookHistories(services.store.db, to);
  return { from, to, ...backtestForecast(histories, toEpochDay(from), toEpochDay(to)) };
}
