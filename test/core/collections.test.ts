import { describe, expect, it } from 'vitest';
import { DEFAULT_STRATEGY, stepsDue, validateStrategy } from '../../src/core/collections/dunning-strategy.js';
import { displayAmount, renderNotice } from '../../src/core/collections/notices.js';
import { promiseStatus } from '../../src/core/collections/promise.js';
import type { CurrencyCode } from '../../src/core/money/currency.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';

const ids = (steps: { id: string }[]) => steps.map((s) => s.id).sort();

describe('dunning steps', () => {
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
