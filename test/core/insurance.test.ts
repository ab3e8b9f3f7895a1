import { describe, expect, it } from 'vitest';
import { buyerCover } from '../../src/core/insurance/buyer-cover.js';
import { deadlineState, invoiceDeadlines, shareRecovery } from '../../src/core/insurance/deadlines.js';
import {
  type BuyerLimitDecision,
  buyerLimitOn,
  type InsuranceTerms,
} from '../../src/core/insurance/insurance-policy.js';
import { compilePolicy } from '../../src/core/policy/compile-policy.js';
import { DEFAULT_POLICY } from '../../src/core/policy/default-policy.js';
import type { CheckInput } from '../../src/core/policy/types.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { SOUND_ORDER } from '../support/check-input.js';

const d = (s: string) => s as BusinessDate;

const terms: InsuranceTerms = {
  id: 'ins_1',
  currency: 'CNY',
  startsOn: d('2026-01-01'),
  endsOn: d('2026-12-31'),
  indemnity: 0.9,
  deductibleMinor: 5_000,
  aggregateFirstLossMinor: 0,
  discretionaryLimitMinor: 20_000,
  maxExtensionDays: 30,
  notificationDays: 60,
  claimFilingDays: 150,
  excludedCountries: ['RU'],
};

const decision = (
  status: BuyerLimitDecision['status'],
  approvedMinor: number | null,
  effectiveOn: string,
  recordedAt = '2026-01-01T00:00:00Z',
): BuyerLimitDecision => ({
  status,
  approvedMinor,
  effectiveOn: d(effectiveOn),
  recordedAt,
});

describe("the insurer's deadlines", () => {
  it('run from the due date, or from an extension only as far as the maximum extension period allows', () => {
    expect(invoiceDeadlines(terms, d('2026-01-31'))).toEqual({
      effectiveDueDate: '2026-01-31',
      notifyBy: '2026-04-01',
      claimBy: '2026-06-30',
    });
    // Extended 15 days: within the 30 the policy allows without consent.
    expect(invoiceDeadlines(terms, d('2026-01-31'), d('2026-02-15')).notifyBy).toBe('2026-04-16');
    // Extended 89 days: only 30 count (2026-03-02), so notification is due 60 days after that.
    expect(invoiceDeadlines(terms, d('2026-01-31'), d('2026-04-30'))).toEqual({
      effectiveDueDate: '2026-03-02',
      notifyBy: '2026-05-01',
      claimBy: '2026-07-30',
    });
    // An "extension" before the due date changes nothing.
    expect(invoiceDeadlines(terms, d('2026-01-31'), d('2026-01-20')).notifyBy).toBe('2026-04-01');
  });

  it('a missed notification deadline marks cover lost; one made in time keeps it', () => {
    const due = invoiceDeadlines(terms, d('2026-01-31'));
    expect(deadlineState(due, null, d('2026-03-30'))).toEqual({ state: 'notify', daysLeft: 2 });
    expect(deadlineState(due, null, d('2026-04-01'))).toEqual({ state: 'notify', daysLeft: 0 });
    expect(deadlineState(due, null, d('2026-04-02'))).toEqual({ state: 'cover_lost', daysLeft: -1 });
    expect(deadlineState(due, d('2026-03-15'), d('2026-05-01')).state).toBe('notified');
    expect(deadlineState(due, d('2026-04-05'), d('2026-05-01')).state).toBe('cover_lost');
    // A notification recorded for a later day is not seen on an earlier one.
    expect(deadlineState(due, d('2026-03-15'), d('2026-03-10')).state).toBe('notify');
  });

  it('recoveries after a paid claim are shared by the indemnity', () => {
    expect(shareRecovery(10_001, 0.9)).toEqual({ insurerShareMinor: 9_001, insuredShareMinor: 1_000 });
  });
});

describe("the insurer's limit on a buyer", () => {
  it('is the latest decision in effect, the discretionary limit without one, nothing outside the period or for an excluded country', () => {
    const decisions = [
      decision('approved', 100_000, '2026-02-01'),
      decision('requested', null, '2026-03-01'),
      decision('reduced', 40_000, '2026-04-01'),
    ];
    expect(buyerLimitOn(terms, decisions, 'CN', d('2026-01-15'))).toEqual({
      limitMinor: 20_000,
      source: 'discretionary',
    });
    expect(buyerLimitOn(terms, decisions, 'CN', d('2026-03-15'))).toEqual({
      limitMinor: 100_000,
      source: 'named',
    });
    expect(buyerLimitOn(terms, decisions, 'CN', d('2026-04-01'))).toEqual({
      limitMinor: 40_000,
      source: 'named',
    });
    expect(
      buyerLimitOn(terms, [...decisions, decision('cancelled', null, '2026-05-01')], 'CN', d('2026-06-01'))
        .limitMinor,
    ).toBe(0);
    expect(buyerLimitOn(terms, [], 'RU', d('2026-03-01'))).toEqual({ limitMinor: 0, source: 'none' });
    expect(buyerLimitOn(terms, decisions, 'CN', d('2027-01-01'))).toEqual({ limitMinor: 0, source: 'none' });
    // Two decisions effective the same day: the one recorded later stands.
    const sameDay = [
      decision('approved', 70_000, '2026-02-01', '2026-02-01T10:00:00Z'),
      decision('reduced', 30_000, '2026-02-01', '2026-02-01T09:00:00Z'),
    ];
    expect(buyerLimitOn(terms, sameDay, 'CN', d('2026-02-02')).limitMinor).toBe(70_000);
  });

  it("covers the buyer's open invoices up to the limit, less the deductible, leaving out those whose cover is lost", () => {
    const cover = buyerCover(
      terms,
      [decision('approved', 50_000, '2026-01-01')],
      'CN',
      [
        { dueDate: d('2026-01-31'), openMinor: 30_000, notifiedOn: null }, // deadline 04-01 passed unnotified
        { dueDate: d('2026-05-31'), openMinor: 40_000, notifiedOn: null },
        { dueDate: d('2026-02-28'), openMinor: 15_000, notifiedOn: d('2026-03-20') }, // notified in time
      ],
      d('2026-05-10'),
    );
    expect(cover).toMatchObject({
      limitMinor: 50_000,
      openMinor: 85_000,
      coverLostMinor: 30_000,
      coveredMinor: 45_000, // min(50,000, 55,000) − 5,000
      indemnityMinor: 40_500,
      uninsuredMinor: 44_500,
    });
  });
});

describe("the order check's uninsured-exposure rule", () => {
  const policy = compilePolicy(
    { ...DEFAULT_POLICY, insurance: { maxUninsuredMinor: 300_000, outcome: 'escalate' } },
    1,
  );
  const base = SOUND_ORDER;
  const rule = (input: Partial<CheckInput>) =>
    policy({ ...base, ...input }).reasons.find((r) => r.code === 'uninsured_exposure_over_cap');

  it('escalates when exposure after the order less the insured part of it passes the cap', () => {
    // Uninsured: no cover at all → 600,000.
    expect(rule({})).toMatchObject({
      outcome: 'escalate',
      values: { uninsuredMinor: 600_000, capMinor: 300_000 },
    });
    // Insured up to 400,000 at 90 %: 600,000 − 360,000 = 240,000 → within the cap.
    expect(rule({ insuredLimitMinor: 400_000, insuredCoveragePercent: 90 })).toBeUndefined();
    // A limit of 300,000 at 90 %: 600,000 − 270,000 = 330,000 → over it.
    expect(rule({ insuredLimitMinor: 300_000, insuredCoveragePercent: 90 })?.values).toEqual({
      uninsuredMinor: 330_000,
      capMinor: 300_000,
    });
    expect(policy({ ...base, insuredLimitMinor: 300_000, insuredCoveragePercent: 90 }).outcome).toBe(
      'escalate',
    );
  });

  it('is refused with the field named when its cap is not a whole amount', () => {
    expect(() =>
      compilePolicy({ ...DEFAULT_POLICY, insurance: { maxUninsuredMinor: -1, outcome: 'escalate' } }, 1),
    ).toThrow(/insurance.maxUninsuredMinor/);
  });
});

describe("the order check's collateral rule", () => {
  const secured = compilePolicy({ ...DEFAULT_POLICY, collateral: { creditShare: 0.8 } }, 1);

  it('adds the counted share of valid security to the limit, says so, and approves no further', () => {
    // Limit 1,000,000, exposure 500,000; a 300,000 guarantee at 80 % adds 240,000.
    const within = secured({ ...SOUND_ORDER, orderMinor: 700_000, securedMinor: 300_000 });
    expect(within.outcome).toBe('approve');
    expect(within.reasons.find((r) => r.code === 'secured_by_collateral')?.values).toEqual({
      securedMinor: 300_000,
      creditMinor: 240_000,
    });
    expect(within.reasons.find((r) => r.code === 'within_available_credit')?.values).toMatchObject({
      availableMinor: 740_000,
      limitMinor: 1_240_000,
    });
    expect(
      secured({ ...SOUND_ORDER, orderMinor: 750_000, securedMinor: 300_000 }).reasons.map((r) => r.code),
    ).toContain('exceeds_available_credit');
    // Without the rule, security does not count.
    expect(
      compilePolicy(
        DEFAULT_POLICY,
        1,
      )({ ...SOUND_ORDER, orderMinor: 700_000, securedMinor: 300_000 }).reasons.map((r) => r.code),
    ).toContain('exceeds_available_credit');
    expect(() => compilePolicy({ ...DEFAULT_POLICY, collateral: { creditShare: 1.5 } }, 1)).toThrow(
      /collateral.creditShare/,
    );
  });
});
