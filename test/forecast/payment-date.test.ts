import { describe, expect, it } from 'vitest';
import {
  backtestForecast,
  cashInByWeek,
  forecastPayment,
  naiveForecast,
  ownDaysLate,
  paidOffDay,
} from '../../src/core/forecast/payment-date.js';
import type { CustomerHistory, HistoryInvoice } from '../../src/core/monitoring/customer-history.js';

const invoice = (
  issueDay: number,
  payments: [number, number][] = [],
  amountMinor = 1_000,
): HistoryInvoice => ({
  issueDay,
  dueDay: issueDay + 30,
  amountMinor,
  reductions: payments.map(([day, amount]) => ({ day, amountMinor: amount, kind: 'payment' as const })),
});
const history = (invoices: HistoryInvoice[]): CustomerHistory => ({
  customerId: 'c',
  invoices,
  promises: [],
});

describe('when an invoice was paid off', () => {
  it('is the day of its last payment; none while open or when written off', () => {
    expect(
      paidOffDay(
        invoice(0, [
          [20, 400],
          [40, 600],
        ]),
        50,
      ),
    ).toBe(40);
    expect(
      paidOffDay(
        invoice(0, [
          [20, 400],
          [40, 600],
        ]),
        39,
      ),
    ).toBeNull();
    const writtenOff: HistoryInvoice = {
      ...invoice(0),
      reductions: [{ day: 90, amountMinor: 1_000, kind: 'write_off' }],
    };
    expect(paidOffDay(writtenOff, 100)).toBeNull();
  });
});

describe('the payment-date forecast', () => {
  // Paid 5, 10 and 15 days late.
  const paid = [invoice(0, [[35, 1_000]]), invoice(10, [[50, 1_000]]), invoice(20, [[65, 1_000]])];
  const own = ownDaysLate(history(paid), 100);

  it('takes the customer’s median days late, and an interval from its spread', () => {
    expect(own).toEqual([15, 10, 5]);
    const open = invoice(100); // due 130
    expect(forecastPayment(open, own, [], 100)).toEqual({
      expectedDay: 140,
      earliestDay: 137,
      latestDay: 143,
      basis: 'customer',
    });
    expect(naiveForecast(open, own)).toBe(140);
  });

  it('counts only the lateness an overdue invoice has not passed yet', () => {
    const overdue = invoice(70); // due 100; 12 days past due on day 112
    expect(forecastPayment(overdue, own, [], 112)).toMatchObject({ expectedDay: 115, basis: 'customer' });
    // Past all the customer ever did: the book's lateness; past that too, a month out.
    expect(forecastPayment(overdue, own, [3, 40, 60], 120)).toMatchObject({
      expectedDay: 150,
      basis: 'book',
    });
    expect(forecastPayment(overdue, own, [3], 120)).toMatchObject({
      expectedDay: 150,
      basis: 'beyond_history',
    });
  });

  it('uses the book’s lateness for a customer with fewer than three paid invoices', () => {
    expect(forecastPayment(invoice(100), [5], [20, 20, 20], 100)).toMatchObject({
      expectedDay: 150,
      basis: 'book',
    });
  });

  it('sums the open amounts into the weeks they are expected in', () => {
    const weeks = cashInByWeek(
      [
        { expectedDay: 101, openMinor: 5 },
        { expectedDay: 107, openMinor: 7 },
        { expectedDay: 108, openMinor: 11 },
        { expectedDay: 300, openMinor: 13 },
      ],
      100,
      2,
    );
    expect(weeks).toEqual([12, 11]);
  });

  it('back-tests each invoice as of its issue day, whatever happened after the window', () => {
    const h = history([...paid, invoice(80, [[125, 1_000]]), invoice(90, [[140, 1_000]])]);
    const result = backtestForecast([h], 100, 200);
    // Paid 15 and 20 days late; forecast from [15, 10, 5] (and then [..]) as of their issue days.
    expect(result.invoices).toBe(2);
    expect(result.model.meanAbsoluteErrorDays).not.toBeNull();
    const later = history([
      ...h.invoices,
      invoice(210, [[260, 1_000]]),
      { ...invoice(150), reductions: [{ day: 240, amountMinor: 1_000, kind: 'payment' }] },
    ]);
    expect(backtestForecast([later], 100, 200)).toEqual(result);
  });
});
