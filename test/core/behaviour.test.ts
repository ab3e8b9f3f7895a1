import { describe, expect, it } from 'vitest';
import { behaviourFeatures, type InvoiceHistory } from '../../src/core/scoring/behaviour.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';

const d = (s: string) => s as BusinessDate;
const inv = (
  issue: string,
  due: string,
  amount: number,
  extra: Partial<InvoiceHistory> = {},
): InvoiceHistory => ({
  issueDate: d(issue),
  dueDate: d(due),
  amountMinor: amount,
  settledOn: null,
  openMinor: amount,
  creditedMinor: 0,
  payments: 0,
  ...extra,
});

describe('behavioural features from the ledger', () => {
  const asOf = d('2026-06-30');
  const history = [
    // Paid on time, a year ago.
    inv('2025-07-01', '2025-07-31', 1_000, { settledOn: d('2025-07-30'), openMinor: 0, payments: 1 }),
    // Paid 10 days late, in the older half-year.
    inv('2025-09-01', '2025-10-01', 1_000, { settledOn: d('2025-10-11'), openMinor: 0, payments: 1 }),
    // Paid 40 days late in two payments, recently; 100 credited.
    inv('2026-02-01', '2026-03-03', 2_000, {
      settledOn: d('2026-04-12'),
      openMinor: 0,
      creditedMinor: 100,
      payments: 2,
    }),
    // Open and 30 days overdue.
    inv('2026-05-01', '2026-05-31', 1_500),
    // Open, not yet due.
    inv('2026-06-15', '2026-07-15', 500),
    // Issued after the as-of date: not known then.
    inv('2026-07-05', '2026-08-04', 9_999),
  ];

  it('computes each feature by hand', () => {
    expect(behaviourFeatures(history, asOf)).toEqual({
      invoices: 5,
      monthsTrading: 12,
      lateShare: 0.6667,
      meanDaysLate: 16.6667,
      // Settled after 29, 40 and 70 days.
      meanDaysToPay: 46.3333,
      // Last 6 months: 40 days; the 6 before: 0 and 10 → 5; trend +35.
      daysLateTrend: 35,
      overdueShare: 0.75,
      creditedShare: 0.0167,
      partialPaymentShare: 0.3333,
      // Invoiced since 2025-12-30: 2,000 + 1,500 + 500 = 4,000; the 6 months before: 2,000 → +100%.
      growth: 1,
    });
  });

  it('says "no data" rather than inventing it for a new customer', () => {
    expect(behaviourFeatures([], asOf)).toMatchObject({
      invoices: 0,
      lateShare: null,
      meanDaysLate: null,
      meanDaysToPay: null,
      overdueShare: null,
      growth: null,
    });
  });
});
