import { describe, expect, it } from 'vitest';
import {
  limitInForce,
  type ReleaseTier,
  releasedPercent,
  validateTiers,
} from '../../src/core/limits/limits.js';
import { recommendLimit } from '../../src/core/limits/recommend-limit.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';

const d = (s: string) => s as BusinessDate;
const tiers: ReleaseTier[] = [
  { sharePercent: 40, onTimeInvoices: 0, monthsClean: 0 },
  { sharePercent: 70, onTimeInvoices: 5, monthsClean: 3 },
  { sharePercent: 100, onTimeInvoices: 12, monthsClean: 6 },
];

describe('limit in force', () => {
  it('adds active temporary limits to the released part of the permanent limit', () => {
    const permanent = { amountMinor: 1_000_000, startsOn: d('2026-01-01'), tiers, releasedPercent: 70 };
    const temporary = [
      { amountMinor: 300_000, startsOn: d('2026-10-01'), expiresOn: d('2026-12-31') },
      { amountMinor: 999_999, startsOn: d('2026-01-01'), expiresOn: d('2026-02-28') },
    ];
    expect(limitInForce(permanent, temporary, d('2026-11-15'))).toEqual({
      approvedMinor: 1_000_000,
      releasedMinor: 700_000,
      releasedPercent: 70,
      temporaryMinor: 300_000,
      totalMinor: 1_000_000,
    });
    // The seasonal limit expires by itself: the day after, only the permanent part is left.
    expect(limitInForce(permanent, temporary, d('2027-01-01')).totalMinor).toBe(700_000);
    expect(limitInForce(permanent, temporary, d('2026-12-31')).totalMinor).toBe(1_000_000);
  });

  it('is zero before the permanent limit starts and without any limit', () => {
    expect(
      limitInForce(
        { amountMinor: 5, startsOn: d('2027-01-01'), tiers: null, releasedPercent: 100 },
        [],
        d('2026-12-31'),
      ).totalMinor,
    ).toBe(0);
    expect(limitInForce(null, [], d('2026-12-31')).totalMinor).toBe(0);
  });

  it('never rounds a released share up', () => {
    expect(
      limitInForce(
        { amountMinor: 999, startsOn: d('2026-01-01'), tiers, releasedPercent: 70 },
        [],
        d('2026-02-01'),
      ).releasedMinor,
    ).toBe(699);
  });
});

describe('step-wise release', () => {
  it('releases each tier once all its milestones are met, in order, and never goes back', () => {
    expect(releasedPercent(tiers, { onTimeInvoices: 0, monthsClean: 0 }, 0)).toBe(40);
    expect(releasedPercent(tiers, { onTimeInvoices: 5, monthsClean: 2 }, 40)).toBe(40);
    expect(releasedPercent(tiers, { onTimeInvoices: 6, monthsClean: 3 }, 40)).toBe(70);
    expect(releasedPercent(tiers, { onTimeInvoices: 20, monthsClean: 12 }, 70)).toBe(100);
    expect(releasedPercent(tiers, { onTimeInvoices: 0, monthsClean: 0 }, 70)).toBe(70);
    expect(releasedPercent(null, { onTimeInvoices: 0, monthsClean: 0 }, 0)).toBe(100);
  });

  it('refuses tiers that do not end at 100% or that fall back', () => {
    expect(() => validateTiers(tiers)).not.toThrow();
    expect(() => validateTiers(tiers.slice(0, 2))).toThrow(/last tier must release 100%/);
    expect(() =>
      validateTiers([tiers[1] as ReleaseTier, tiers[0] as ReleaseTier, tiers[2] as ReleaseTier]),
    ).toThrow(/larger share/);
    expect(() =>
      validateTiers([
        { sharePercent: 50, onTimeInvoices: 5, monthsClean: 0 },
        { sharePercent: 100, onTimeInvoices: 2, monthsClean: 0 },
      ]),
    ).toThrow(/milestones/);
  });
});

describe('recommended limit', () => {
  it('explains each step: trade need, risk class, size caps, insured cover', () => {
    const r = recommendLimit({
      riskClass: 'C',
      expectedMonthlyPurchasesMinor: 1_000_000,
      termsDays: 60,
      netWorthMinor: 10_000_000,
      insuredLimitMinor: 5_000_000,
    });
    // Need = 1,000,000 × (60 + 30) / 30 = 3,000,000; class C × 0.8 = 2,400,000; 10% of net worth caps at 1,000,000.
    expect(r.lines.map((l) => [l.step, l.valueMinor])).toEqual([
      ['trade_need', 3_000_000],
      ['risk_class', 2_400_000],
      ['net_worth_cap', 1_000_000],
      ['insured_cover_cap', 1_000_000],
    ]);
    expect(r.lines[3]?.explanation).toMatch(/^not binding/);
    expect(r.recommendedMinor).toBe(1_000_000);
  });

  it('recommends nothing for class E', () => {
    expect(
      recommendLimit({ riskClass: 'E', expectedMonthlyPurchasesMinor: 1_000_000, termsDays: 30 })
        .recommendedMinor,
    ).toBe(0);
  });
});
