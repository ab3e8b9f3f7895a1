import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtestWarnings } from '../../src/core/monitoring/backtest.js';
import {
  type CustomerHistory,
  type HistoryInvoice,
  historyAsOf,
} from '../../src/core/monitoring/customer-history.js';
import { defaultDay } from '../../src/core/monitoring/default-event.js';
import { firingRules, replayAlerts } from '../../src/core/monitoring/replay.js';
import { DEFAULT_WARNING_RULES, parseWarningRules } from '../../src/core/monitoring/warning-rules.js';

const invoice = (
  issueDay: number,
  amountMinor: number,
  payments: [number, number][] = [],
  terms = 30,
): HistoryInvoice => ({
  issueDay,
  dueDay: issueDay + terms,
  amountMinor,
  reductions: payments.map(([day, amount]) => ({ day, amountMinor: amount, kind: 'payment' as const })),
});
const customer = (
  invoices: HistoryInvoice[],
  promises: CustomerHistory['promises'] = [],
): CustomerHistory => ({
  customerId: 'c1',
  invoices,
  promises,
});
const one = (kind: string, params: Record<string, number>) =>
  parseWarningRules({ rules: [{ id: 'r', kind, params, severity: 'high' }] });
const fires = (history: CustomerHistory, day: number, kind: string, params: Record<string, number> = {}) =>
  firingRules(history, day, one(kind, params)).length === 1;

describe('each warning rule fires on its case and not on its near miss', () => {
  it('overdue: an invoice open 60 days past due, not 59, and not once paid', () => {
    const h = customer([invoice(0, 1_000)]); // due day 30
    expect(fires(h, 90, 'overdue', { minDaysPastDue: 60 })).toBe(true);
    expect(fires(h, 89, 'overdue', { minDaysPastDue: 60 })).toBe(false);
    expect(fires(customer([invoice(0, 1_000, [[85, 1_000]])]), 90, 'overdue', { minDaysPastDue: 60 })).toBe(
      false,
    );
    expect(fires(h, 90, 'overdue', { minDaysPastDue: 60, minOverdueMinor: 1_001 })).toBe(false);
  });

  it('overdue share: half of what is open 30+ days late while newer invoices are paid, not less, not when nothing is paid', () => {
    const old = invoice(0, 1_000); // due day 30: 30 days past due on day 60
    expect(fires(customer([old, invoice(50, 2_000, [[55, 1_000]])]), 60, 'overdue_share')).toBe(true);
    expect(fires(customer([old, invoice(50, 2_000, [[55, 999]])]), 60, 'overdue_share')).toBe(false);
    expect(fires(customer([old, invoice(50, 1_000)]), 60, 'overdue_share')).toBe(false);
  });

  it('days-late trend: recent payments 10+ days later than the customer used to pay, not 9', () => {
    // A year of payments 5 days late, then two payments 15 (fires) or 14 (near miss) days late.
    const base = Array.from({ length: 6 }, (_, k) => invoice(k * 50, 100, [[k * 50 + 35, 100]]));
    const recent = (late: number) => [
      invoice(340, 100, [[370 + late, 100]]),
      invoice(350, 100, [[380 + late, 100]]),
    ];
    expect(fires(customer([...base, ...recent(15)]), 400, 'days_late_trend')).toBe(true);
    expect(fires(customer([...base, ...recent(14)]), 400, 'days_late_trend')).toBe(false);
  });

  it('partial payments: three pieces within 90 days, not two', () => {
    const pieces = (n: number) =>
      invoice(
        0,
        1_000,
        Array.from({ length: n }, (_, k): [number, number] => [10 + k, 100]),
      );
    expect(fires(customer([pieces(3)]), 20, 'partial_payments')).toBe(true);
    expect(fires(customer([pieces(2)]), 20, 'partial_payments')).toBe(false);
    expect(fires(customer([pieces(3)]), 101, 'partial_payments')).toBe(false); // left the window
  });

  it('broken promises: a promise past its date unpaid, not one kept on its date', () => {
    const promise = { recordedDay: 10, promisedDay: 20, amountMinor: 500 };
    expect(fires(customer([], [{ ...promise, keptDay: null }]), 21, 'broken_promises')).toBe(true);
    expect(fires(customer([], [{ ...promise, keptDay: null }]), 20, 'broken_promises')).toBe(false);
    expect(fires(customer([], [{ ...promise, keptDay: 20 }]), 30, 'broken_promises')).toBe(false);
  });

  it('order spike: an invoice over three times the usual one, not exactly three times', () => {
    const usual = Array.from({ length: 5 }, (_, k) => invoice(k * 10, 100, [[k * 10 + 30, 100]]));
    expect(fires(customer([...usual, invoice(100, 301)]), 100, 'order_spike')).toBe(true);
    expect(fires(customer([...usual, invoice(100, 300)]), 100, 'order_spike')).toBe(false);
    expect(fires(customer([...usual.slice(1), invoice(100, 301)]), 100, 'order_spike')).toBe(false); // too little history
  });
});

describe('outside signals', () => {
  it('external signal: a high one within 180 days fires, a medium one or an old one does not', () => {
    const withSignal = (day: number, severityRank: number): CustomerHistory => ({
      ...customer([]),
      signals: [{ day, severityRank }],
    });
    expect(fires(withSignal(10, 2), 100, 'external_signal')).toBe(true);
    expect(fires(withSignal(10, 1), 100, 'external_signal')).toBe(false);
    expect(fires(withSignal(10, 2), 190, 'external_signal')).toBe(false);
    expect(fires(withSignal(101, 3), 100, 'external_signal')).toBe(false); // not yet happened
  });
});

describe('a warning rule set as data', () => {
  it('names the field at fault', () => {
    const bad = (rules: unknown[]) => () => parseWarningRules({ rules });
    expect(bad([{ id: 'a', kind: 'nope', severity: 'high' }])).toThrow(/rules\[0\]\.kind/);
    expect(bad([{ id: 'a', kind: 'overdue', severity: 'loud' }])).toThrow(/rules\[0\]\.severity/);
    expect(bad([{ id: 'a', kind: 'overdue', severity: 'high', params: { minDays: 3 } }])).toThrow(
      /rules\[0\]\.params\.minDays: is not a parameter of overdue/,
    );
    expect(bad([{ id: 'a', kind: 'overdue', severity: 'high', params: { minDaysPastDue: -1 } }])).toThrow(
      /rules\[0\]\.params\.minDaysPastDue/,
    );
    expect(
      bad([
        { id: 'a', kind: 'overdue', severity: 'high' },
        { id: 'a', kind: 'overdue', severity: 'low' },
      ]),
    ).toThrow(/rules\[1\]\.id: "a" is used twice/);
    expect(bad([])).toThrow(/at least one rule/);
  });

  it('fills the parameters a rule leaves out with its kind’s defaults', () => {
    const [rule] = one('overdue', {}).rules;
    expect(rule?.params).toEqual({ minDaysPastDue: 60, minOverdueMinor: 0 });
  });
});

describe('default: a write-off, or an invoice still open 90 days past due', () => {
  it('is the first such day', () => {
    expect(defaultDay(customer([invoice(0, 100)]))).toBe(120);
    expect(defaultDay(customer([invoice(0, 100, [[119, 100]])]))).toBeNull();
    const writtenOff: HistoryInvoice = {
      ...invoice(0, 100),
      reductions: [{ day: 50, amountMinor: 100, kind: 'write_off' }],
    };
    expect(defaultDay(customer([writtenOff]))).toBe(50);
  });
});

// Random books: invoices over ~500 days, paid in up to three pieces, some never; a few promises.
const historyArb = fc
  .record({
    invoices: fc.array(
      fc.record({
        issueDay: fc.integer({ min: 0, max: 500 }),
        terms: fc.constantFrom(0, 30, 60),
        amountMinor: fc.integer({ min: 1, max: 10_000 }),
        pieces: fc.array(
          fc.record({
            after: fc.integer({ min: 0, max: 200 }),
            share: fc.double({ min: 0, max: 0.6, noNaN: true }),
          }),
          {
            maxLength: 3,
          },
        ),
      }),
      { maxLength: 25 },
    ),
    promises: fc.array(
      fc.record({
        recordedDay: fc.integer({ min: 0, max: 500 }),
        wait: fc.integer({ min: 0, max: 30 }),
        kept: fc.option(fc.integer({ min: 0, max: 40 })),
      }),
      { maxLength: 3 },
    ),
    signals: fc.array(
      fc.record({ day: fc.integer({ min: 0, max: 600 }), severityRank: fc.integer({ min: 0, max: 3 }) }),
      { maxLength: 4 },
    ),
  })
  .map(
    ({ invoices, promises, signals }): CustomerHistory => ({
      signals,
      customerId: 'c',
      invoices: invoices.map((i) => {
        let left = i.amountMinor;
        const reductions = i.pieces
          .map((p) => {
            const amountMinor = Math.min(left, Math.ceil(i.amountMinor * p.share));
            left -= amountMinor;
            return { day: i.issueDay + p.after, amountMinor, kind: 'payment' as const };
          })
          .filter((r) => r.amountMinor > 0)
          .sort((a, b) => a.day - b.day);
        return { issueDay: i.issueDay, dueDay: i.issueDay + i.terms, amountMinor: i.amountMinor, reductions };
      }),
      promises: promises.map((p) => ({
        recordedDay: p.recordedDay,
        promisedDay: p.recordedDay + p.wait,
        amountMinor: 100,
        keptDay: p.kept === null ? null : p.recordedDay + p.kept,
      })),
    }),
  );

const sensitive = parseWarningRules({
  rules: DEFAULT_WARNING_RULES.rules.map((r) =>
    r.kind === 'days_late_trend' ? { ...r, params: { ...r.params, minPayments: 1, minIncreaseDays: 3 } } : r,
  ),
});

describe('nothing from the future', () => {
  it('a rule as of a day answers the same on the whole history and on the history cut at that day', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 0, max: 800 }), (h, day) => {
        expect(firingRules(h, day, sensitive)).toEqual(firingRules(historyAsOf(h, day), day, sensitive));
      }),
      { numRuns: 300 },
    );
  });

  it('the back-test of a window is the same whatever happened after it', () => {
    fc.assert(
      fc.property(historyArb, historyArb, fc.integer({ min: 100, max: 500 }), (h, later, to) => {
        const cut = historyAsOf(h, to);
        // Everything the second history adds happens after `to`: new invoices, and payments on old ones.
        const future: CustomerHistory = {
          customerId: h.customerId,
          invoices: [
            ...cut.invoices.map((i) => ({
              ...i,
              reductions: [
                ...i.reductions,
                { day: to + 1, amountMinor: i.amountMinor, kind: 'payment' as const },
              ],
            })),
            ...later.invoices.map((i) => ({
              ...i,
              issueDay: i.issueDay + to + 1,
              dueDay: i.dueDay + to + 1,
              reductions: [],
            })),
          ],
          promises: cut.promises,
          signals: [
            ...(cut.signals ?? []),
            ...(later.signals ?? []).map((s) => ({ ...s, day: s.day + to + 1 })),
          ],
        };
        const options = { warnFrom: 'high' as const, lossDaysPastDue: 90 };
        expect(backtestWarnings([future], 50, to, sensitive, options)).toEqual(
          backtestWarnings([cut], 50, to, sensitive, options),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('the replay', () => {
  it('raises and clears alerts on exactly the days that asking every day would', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const daily: { ruleId: string; raisedDay: number; clearedDay: number | null }[] = [];
        const live = new Map<string, number>();
        for (let day = 100; day <= 700; day++) {
          const now = new Set(firingRules(h, day, sensitive).map((f) => f.ruleId));
          for (const rule of sensitive.rules) {
            const since = live.get(rule.id);
            if (now.has(rule.id) && since === undefined) live.set(rule.id, day);
            if (!now.has(rule.id) && since !== undefined) {
              daily.push({ ruleId: rule.id, raisedDay: since, clearedDay: day });
              live.delete(rule.id);
            }
          }
        }
        for (const [ruleId, raisedDay] of live) daily.push({ ruleId, raisedDay, clearedDay: null });
        const replayed = replayAlerts(h, 100, 700, sensitive).map(({ ruleId, raisedDay, clearedDay }) => ({
          ruleId,
          raisedDay,
          clearedDay,
        }));
        const order = (a: { ruleId: string; raisedDay: number }, b: { ruleId: string; raisedDay: number }) =>
          a.ruleId.localeCompare(b.ruleId) || a.raisedDay - b.raisedDay;
        expect(replayed.sort(order)).toEqual(daily.sort(order));
      }),
      { numRuns: 60 },
    );
  });
});

describe('the lead-time back-test', () => {
  it('counts a defaulter warned 30 days ahead by overdue_60, and a warned customer who paid as no default', () => {
    const defaulter = { ...customer([invoice(0, 100_000)]), customerId: 'd' }; // due 30, high at 90, default at 120
    const recovered = { ...customer([invoice(0, 100_000, [[100, 100_000]])]), customerId: 'r' };
    const healthy = { ...customer([invoice(0, 100_000, [[30, 100_000]])]), customerId: 'h' };
    const result = backtestWarnings([defaulter, recovered, healthy], 0, 365, DEFAULT_WARNING_RULES, {
      warnFrom: 'high',
      lossDaysPastDue: 90,
    });
    expect(result).toMatchObject({
      customers: 3,
      defaulters: 1,
      defaultersWarned: 1,
      warnedCustomers: 2,
      warnedNotDefaulted: 1,
    });
    expect(result.leadDays).toEqual({ p25: 30, median: 30, p75: 30 });
  });

  it('leaves out customers already in default when the window opens', () => {
    const result = backtestWarnings([customer([invoice(0, 100_000)])], 200, 365, DEFAULT_WARNING_RULES, {
      warnFrom: 'high',
      lossDaysPastDue: 90,
    });
    expect(result.customers).toBe(0);
    expect(result.leadDays).toEqual({ p25: null, median: null, p75: null });
  });
});
