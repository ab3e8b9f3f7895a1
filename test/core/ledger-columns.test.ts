import { describe, expect, it } from 'vitest';
import { LedgerColumns, monthOfDay } from '../../src/core/receivables/ledger-columns.js';
import { type BusinessDate, toEpochDay } from '../../src/core/time/business-date.js';

const day = (d: string) => toEpochDay(d as BusinessDate);

/** Two customers, two currencies; entries recorded out of date order. */
function ledger() {
  const columns = new LedgerColumns();
  columns.addInvoice(1, {
    issueDay: day('2026-01-05'),
    dueDay: day('2026-02-04'),
    amountMinor: 100_000,
    currency: 'CNY',
    customerId: 'a',
  });
  columns.addInvoice(3, {
    issueDay: day('2026-02-10'),
    dueDay: day('2026-03-12'),
    amountMinor: 50_000,
    currency: 'USD',
    customerId: 'b',
  });
  columns.addInvoice(4, {
    issueDay: day('2026-03-01'),
    dueDay: day('2026-03-31'),
    amountMinor: 20_000,
    currency: 'CNY',
    customerId: 'b',
  });
  columns.addEntry(1, day('2026-03-20'), 60_000);
  columns.addEntry(1, day('2026-02-15'), 40_000);
  columns.addEntry(3, day('2026-04-01'), 10_000);
  return columns;
}

describe('the ledger as columns', () => {
  it('ages the book as of any date from the entries dated by then', () => {
    const columns = ledger();
    expect(columns.invoiceCount).toBe(3);
    expect(columns.entryCount).toBe(3);
    // 2026-03-01: invoice 1 has 60,000 open (the credit of 02-15 only), 25 days late; invoice 3 is current.
    expect(columns.aging(day('2026-03-01'))).toEqual([
      {
        currency: 'CNY',
        key: 0,
        buckets: {
          currentMinor: 20_000,
          d1to30Minor: 60_000,
          d31to60Minor: 0,
          d61to90Minor: 0,
          over90Minor: 0,
        },
      },
      {
        currency: 'USD',
        key: 0,
        buckets: { currentMinor: 50_000, d1to30Minor: 0, d31to60Minor: 0, d61to90Minor: 0, over90Minor: 0 },
      },
    ]);
    // Before anything was issued: nothing.
    expect(columns.aging(day('2026-01-01'))).toEqual([]);
    // After every entry: invoice 1 settled, 3 has 40,000 open 51 days late, 4 is 32 days late.
    expect(columns.aging(day('2026-05-02'))).toEqual([
      {
        currency: 'CNY',
        key: 0,
        buckets: { currentMinor: 0, d1to30Minor: 0, d31to60Minor: 20_000, d61to90Minor: 0, over90Minor: 0 },
      },
      {
        currency: 'USD',
        key: 0,
        buckets: { currentMinor: 0, d1to30Minor: 0, d31to60Minor: 40_000, d61to90Minor: 0, over90Minor: 0 },
      },
    ]);
  });

  it('breaks the book down by a key of the customer, leaving out customers keyed −1', () => {
    const columns = ledger();
    const byCustomer = columns.aging(day('2026-03-01'), (c) => c);
    expect(
      byCustomer.map((r) => [
        columns.customers[r.key],
        r.currency,
        r.buckets.d1to30Minor + r.buckets.currentMinor,
      ]),
    ).toEqual([
      ['a', 'CNY', 60_000],
      ['b', 'CNY', 20_000],
      ['b', 'USD', 50_000],
    ]);
    const onlyB = columns.aging(day('2026-03-01'), (c) => (columns.customers[c] === 'b' ? 0 : -1));
    expect(onlyB.map((r) => r.currency)).toEqual(['CNY', 'USD']);
  });

  it('sums sales by month of issue and currency', () => {
    const months = ledger().salesByMonth(monthOfDay(day('2026-01-01')), monthOfDay(day('2026-02-28')));
    expect(months).toEqual([
      { month: 2026 * 12, currency: 'CNY', amountMinor: 100_000 },
      { month: 2026 * 12 + 1, currency: 'USD', amountMinor: 50_000 },
    ]);
  });

  it('refuses a slot written twice and an entry for an invoice it does not hold', () => {
    const columns = ledger();
    expect(() =>
      columns.addInvoice(1, { issueDay: 0, dueDay: 0, amountMinor: 1, currency: 'CNY', customerId: 'a' }),
    ).toThrow(/written once/);
    expect(() => columns.addEntry(2, 0, 1)).toThrow(/already in the ledger/);
  });
});
