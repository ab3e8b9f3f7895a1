import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STRATEGY,
  type DunningStep,
  stepsDue,
  validateStrategy,
} from '../../src/core/collections/dunning-strategy.js';
import { displayAmount, renderNotice } from '../../src/core/collections/notices.js';
import { promiseStatus } from '../../src/core/collections/promise.js';
import type { CurrencyCode } from '../../src/core/money/currency.js';
import { formatMajorAmount } from '../../src/core/money/parse.js';
import { RISK_CLASSES } from '../../src/core/rating/risk-class.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';

const ids = (steps: { id: string }[]) => steps.map((s) => s.id).sort();

/** The rule as first written: the latest reached step of each action (first listed on a tie). */
function referenceStepsDue(
  steps: readonly DunningStep[],
  item: { daysPastDue: number; riskClass: string; openMinor: number },
  done: ReadonlySet<string>,
) {
  const reached = steps.filter(
    (s) =>
      !done.has(s.id) &&
      s.daysPastDue <= item.daysPastDue &&
      (s.riskClasses?.includes(item.riskClass as never) ?? true) &&
      item.openMinor >= (s.minOpenMinor ?? 0),
  );
  const latest = new Map<string, DunningStep>();
  for (const step of reached) {
    const current = latest.get(step.action);
    if (!current || step.daysPastDue > current.daysPastDue) latest.set(step.action, step);
  }
  const take = [...latest.values()];
  return { take, superseded: reached.filter((s) => !take.includes(s)) };
}

describe('dunning steps', () => {
  it('takes the latest reached step of each action and supersedes the rest, for any strategy and item', () => {
    const step = fc.record({
      daysPastDue: fc.integer({ min: -3, max: 8 }),
      action: fc.constantFrom('email', 'letter', 'call_task', 'stop_supply'),
      riskClasses: fc.option(fc.subarray([...RISK_CLASSES], { minLength: 1 }), { nil: undefined }),
      minOpenMinor: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: -5, max: 12 }),
        fc.constantFrom(...RISK_CLASSES),
        fc.integer({ min: 0, max: 1_500 }),
        fc.array(fc.nat(9)),
        (raw, daysPastDue, riskClass, openMinor, doneAt) => {
          const steps = raw.map((s, i) => ({ id: `s${i}`, ...s }) as DunningStep);
          const strategy = { name: 't', promiseGraceDays: 0, steps };
          const item = { daysPastDue, riskClass, openMinor };
          const done = new Set(doneAt.map((i) => `s${i}`));
          const got = stepsDue(strategy, item, done);
          const want = referenceStepsDue(steps, item, done);
          expect(ids(got.take)).toEqual(ids(want.take));
          expect(ids(got.superseded)).toEqual(ids(want.superseded));
        },
      ),
    );
  });

  it('takes the steps reached for the risk class and amount, once each', () => {
    const item = { daysPastDue: 31, riskClass: 'D' as const, openMinor: 100_000 };
    const due = stepsDue(
      DEFAULT_STRATEGY,
      item,
      new Set(['pre-due-reminder', 'first-reminder', 'second-reminder']),
    );
    expect(ids(due.take)).toEqual(['collector-call', 'formal-letter', 'stop-supply-risky']);
    expect(due.superseded).toEqual([]);
    // Class A is spared the pre-due reminder and the early stop.
    const a = stepsDue(DEFAULT_STRATEGY, { ...item, riskClass: 'A' }, new Set());
    expect(ids(a.take)).toEqual(['collector-call', 'formal-letter', 'second-reminder']);
    expect(ids(a.superseded)).toEqual(['first-reminder']);
    // The agency step needs at least 5,000.00 open.
    const small = stepsDue(
      DEFAULT_STRATEGY,
      { daysPastDue: 100, riskClass: 'B', openMinor: 499_999 },
      new Set(),
    );
    expect(ids(small.take)).not.toContain('agency');
    const large = stepsDue(
      DEFAULT_STRATEGY,
      { daysPastDue: 100, riskClass: 'B', openMinor: 500_000 },
      new Set(),
    );
    expect(ids(large.take)).toContain('agency');
  });

  it('refuses strategies that cannot work, naming the field', () => {
    expect(() => validateStrategy(DEFAULT_STRATEGY)).not.toThrow();
    const twice = { ...DEFAULT_STRATEGY, steps: [DEFAULT_STRATEGY.steps[1], DEFAULT_STRATEGY.steps[1]] };
    expect(() => validateStrategy(twice as typeof DEFAULT_STRATEGY)).toThrow(
      /steps\[1\]\.id: "first-reminder" is used twice/,
    );
    const fax = { ...DEFAULT_STRATEGY, steps: [{ id: 'x', daysPastDue: 1, action: 'fax' }] };
    expect(() => validateStrategy(fax as unknown as typeof DEFAULT_STRATEGY)).toThrow(/steps\[0\]\.action/);
  });
});

describe('promises to pay', () => {
  const promise = { amountMinor: 1_000, promisedOn: '2026-02-10' as BusinessDate };
  it('is kept when paid in full, broken only after the grace days, open before', () => {
    expect(promiseStatus(promise, 1_000, '2026-02-01' as BusinessDate, 3)).toBe('kept');
    expect(promiseStatus(promise, 999, '2026-02-13' as BusinessDate, 3)).toBe('open');
    expect(promiseStatus(promise, 999, '2026-02-14' as BusinessDate, 3)).toBe('broken');
  });
});

describe('dunning notices', () => {
  it('formats amounts exactly from minor units', () => {
    expect(displayAmount(123_456_789, 'CNY' as CurrencyCode)).toBe('CNY 1,234,567.89');
    expect(displayAmount(5, 'JPY' as CurrencyCode)).toBe('JPY 5');
  });

  it('groups the whole part in threes digits and changes no digit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.constantFrom('CNY', 'JPY', 'KWD'),
        (minor, code) => {
          const currency = code as CurrencyCode;
          const shown = displayAmount(minor, currency);
          expect(shown.startsWith(`${currency} `)).toBe(true);
          const amount = shown.slice(4);
          expect(amount.replaceAll(',', '')).toBe(formatMajorAmount(minor, currency));
          const whole = (amount.split('.')[0] ?? '').replace('-', '');
          expect(whole).toMatch(/^\d{1,3}(,\d{3})*$/);
        },
      ),
    );
  });

  it('lists every item with its total per currency, in English and Chinese', () => {
    const items = [
      {
        invoiceNumber: 'INV-1',
        dueDate: '2026-01-31' as BusinessDate,
        openMinor: 150_000,
        currency: 'CNY' as CurrencyCode,
        daysPastDue: 12,
      },
      {
        invoiceNumber: 'INV-2',
        dueDate: '2026-02-20' as BusinessDate,
        openMinor: 50_000,
        currency: 'CNY' as CurrencyCode,
        daysPastDue: -8,
      },
    ];
    const en = renderNotice('en', 'overdue', 'Acme', '2026-02-12' as BusinessDate, items);
    expect(en.subject).toBe('Overdue invoices — Acme');
    expect(en.body).toContain('INV-1  due 2026-01-31  CNY 1,500.00  (12 days overdue)');
    expect(en.body).toContain('Total open: CNY 2,000.00');
    const zh = renderNotice('zh-CN', 'letter', '甲方', '2026-02-12' as BusinessDate, items);
    expect(zh.subject).toBe('逾期付款正式催告函 — 甲方');
    expect(zh.body).toContain('未付合计： CNY 2,000.00');
  });
});
