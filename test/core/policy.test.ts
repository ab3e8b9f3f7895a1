import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handwrittenDefaultPolicy } from '../../bench/handwritten-policy.js';
import { DomainError } from '../../src/core/errors.js';
import { compilePolicy } from '../../src/core/policy/compile-policy.js';
import { DEFAULT_POLICY } from '../../src/core/policy/default-policy.js';
import { type CheckInput, type CreditPolicyDocument, SEVERITY } from '../../src/core/policy/types.js';
import { RISK_CLASSES } from '../../src/core/rating/risk-class.js';
import { SOUND_ORDER } from '../support/check-input.js';

const policy = compilePolicy(DEFAULT_POLICY, 1);

const base = SOUND_ORDER;

const codes = (input: Partial<CheckInput>) => policy({ ...base, ...input }).reasons.map((r) => r.code);

describe('the default credit policy, compiled', () => {
  it('approves an order within available credit and says so with the numbers', () => {
    const d = policy(base);
    expect(d.outcome).toBe('approve');
    expect(d.creditMinor).toBe(100_000);
    expect(d.termsDays).toBe(60);
    expect(d.policyVersion).toBe(1);
    expect(d.reasons).toEqual([
      expect.objectContaining({
        code: 'within_available_credit',
        rule: 'availableCredit',
        values: { orderMinor: 100_000, availableMinor: 500_000, limitMinor: 1_000_000 },
      }),
    ]);
  });

  it('approves a small excess against prepayment of the excess, reserving only available credit', () => {
    const d = policy({ ...base, orderMinor: 550_000 });
    expect(d.outcome).toBe('approve_with_conditions');
    expect(d.creditMinor).toBe(500_000);
    expect(d.conditions).toEqual([expect.objectContaining({ code: 'prepay_excess', amountMinor: 50_000 })]);
    expect(d.reasons[0]).toMatchObject({
      code: 'exceeds_available_credit',
      rule: 'availableCredit.bands[0]',
      values: { excessPercent: 5 },
    });
  });

  it('escalates a larger excess and holds a much larger one, reserving nothing', () => {
    expect(policy({ ...base, orderMinor: 700_000 })).toMatchObject({
      outcome: 'escalate',
      creditMinor: 0,
      conditions: [],
    });
    expect(policy({ ...base, orderMinor: 900_000 })).toMatchObject({ outcome: 'hold', creditMinor: 0 });
    expect(policy({ ...base, limitMinor: 0, exposureMinor: 0 })).toMatchObject({ outcome: 'hold' });
  });

  it('escalates an unrated buyer nobody screened; screened, or rated, or decided before screening was recorded, it passes', () => {
    const unscreened = policy({ ...base, ratingGrade: null, screened: false });
    expect(unscreened.outcome).toBe('escalate');
    expect(unscreened.reasons[0]).toMatchObject({
      code: 'unscreened_customer',
      outcome: 'escalate',
      rule: 'rating.unscreenedOutcome',
    });
    expect(policy({ ...base, ratingGrade: null, screened: true }).outcome).toBe('approve');
    expect(policy({ ...base, ratingGrade: 4, screened: false }).outcome).toBe('approve');
    expect(policy({ ...base, ratingGrade: null }).outcome).toBe('approve');
    const lenient = structuredClone(DEFAULT_POLICY) as CreditPolicyDocument;
    (lenient.rating as { unscreenedOutcome?: string }).unscreenedOutcome = 'approve';
    expect(compilePolicy(lenient, 2)({ ...base, ratingGrade: null, screened: false }).outcome).toBe(
      'approve',
    );
  });

  it('declines a blacklisted customer and holds one on stop supply, whatever the credit', () => {
    expect(policy({ ...base, blacklisted: true }).outcome).toBe('decline');
    expect(policy({ ...base, stopSupply: true }).outcome).toBe('hold');
    expect(codes({ blacklisted: true, stopSupply: true })).toEqual([
      'customer_blacklisted',
      'stop_supply',
      'within_available_credit',
    ]);
  });

  it('weighs overdue by amount × days × risk class, not by a count of invoices', () => {
    // 300,000 overdue for 30 days on a 1,000,000 limit = 9 limit-days; class B weighs 0.75 → 6.75.
    const some = policy({ ...base, overdueMinor: 300_000, overdueMinorDays: 9_000_000 });
    expect(some.outcome).toBe('escalate');
    expect(some.reasons[0]).toMatchObject({
      code: 'overdue_too_high',
      values: { overdueIndex: 6.75, riskWeight: 0.75 },
    });
    // The same overdue weighs 18 for an E customer → hold; 900,000 for 10 days weighs the same.
    expect(
      policy({ ...base, riskClass: 'E', overdueMinor: 300_000, overdueMinorDays: 9_000_000 }).outcome,
    ).toBe('hold');
    expect(
      policy({ ...base, riskClass: 'E', overdueMinor: 900_000, overdueMinorDays: 9_000_000 }).outcome,
    ).toBe('hold');
    // Ten small invoices a day late weigh less than one large one a month late: amount × days, not a count.
    expect(policy({ ...base, overdueMinor: 100_000, overdueMinorDays: 100_000 }).outcome).toBe('approve');
    // A little overdue is tolerated and said so.
    expect(policy({ ...base, overdueMinor: 10_000, overdueMinorDays: 50_000 }).reasons[0]?.code).toBe(
      'overdue_tolerated',
    );
  });

  it('caps orders from new customers, and applies rating cut-offs', () => {
    expect(
      policy({ ...base, customerAgeDays: 10, orderMinor: 30_000_000, limitMinor: 100_000_000 }).outcome,
    ).toBe('escalate');
    expect(policy({ ...base, ratingGrade: 7 }).outcome).toBe('escalate');
    expect(policy({ ...base, ratingGrade: 9 }).outcome).toBe('decline');
  });

  it("holds the group to its limit even when the customer's own limit has room", () => {
    const d = policy({ ...base, groupLimitMinor: 2_000_000, groupExposureMinor: 1_950_000 });
    // 50,000 over the group's available credit is 2.5% of the group limit: prepay the excess.
    expect(d).toMatchObject({ outcome: 'approve_with_conditions', creditMinor: 50_000 });
    expect(
      policy({ ...base, groupLimitMinor: 2_000_000, groupExposureMinor: 2_000_000, orderMinor: 600_000 })
        .outcome,
    ).toBe('hold');
    expect(d.reasons.at(-1)).toMatchObject({
      code: 'exceeds_group_available_credit',
      values: { availableMinor: 50_000 },
    });
  });
});

const inputs = fc
  .record({
    orderMinor: fc.integer({ min: 1, max: 1e12 }),
    customerAgeDays: fc.integer({ min: 0, max: 5_000 }),
    riskClass: fc.constantFrom(...RISK_CLASSES),
    ratingGrade: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
    screened: fc.option(fc.boolean(), { nil: undefined }),
    blacklisted: fc.boolean(),
    stopSupply: fc.boolean(),
    limitMinor: fc.integer({ min: 0, max: 1e12 }),
    exposureMinor: fc.integer({ min: 0, max: 1.2e12 }),
    overdueMinor: fc.integer({ min: 0, max: 1e11 }),
    overdueMinorDays: fc.integer({ min: 0, max: 1e13 }),
    groupLimitMinor: fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: null }),
    groupExposureMinor: fc.integer({ min: 0, max: 1.2e12 }),
    fxRateMissing: fc.boolean(),
  })
  .map(
    (i): CheckInput => ({
      ...i,
      groupExposureMinor: i.groupLimitMinor === null ? null : i.groupExposureMinor,
    }),
  );

describe('policy properties', () => {
  it('an approval never takes exposure past the customer or the group limit', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const d = policy(input);
        if (d.outcome === 'approve' || d.outcome === 'approve_with_conditions') {
          if (d.creditMinor > 0) {
            expect(input.exposureMinor + d.creditMinor).toBeLessThanOrEqual(input.limitMinor);
            if (input.groupLimitMinor !== null) {
              expect((input.groupExposureMinor ?? 0) + d.creditMinor).toBeLessThanOrEqual(
                input.groupLimitMinor,
              );
            }
          }
          expect(d.creditMinor).toBeLessThanOrEqual(input.orderMinor);
        } else {
          expect(d.creditMinor).toBe(0);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('the outcome is the most severe outcome among the reasons, and every reason names its rule', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const d = policy(input);
        const worst = d.reasons.reduce(
          (w, r) => (SEVERITY[r.outcome] > SEVERITY[w] ? r.outcome : w),
          'approve' as typeof d.outcome,
        );
        expect(d.outcome).toBe(worst);
        expect(d.reasons.length).toBeGreaterThan(0);
        for (const r of d.reasons) expect(r.rule).toMatch(/^[a-zA-Z]+/);
        // Reasons come only from factors that were present.
        if (!input.blacklisted) expect(d.reasons.some((r) => r.code === 'customer_blacklisted')).toBe(false);
        if (input.overdueMinorDays === 0)
          expect(d.reasons.some((r) => r.code.startsWith('overdue'))).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('decides exactly as the hand-written reference, reason for reason (the benchmark compares like with like)', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(policy(input)).toEqual(handwrittenDefaultPolicy(input));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('policy validation', () => {
  const variant = (change: (doc: CreditPolicyDocument) => void): CreditPolicyDocument => {
    const doc = structuredClone(DEFAULT_POLICY) as CreditPolicyDocument;
    change(doc);
    return doc;
  };

  it.each([
    [
      'an outright approval past the limit',
      (d: CreditPolicyDocument) => {
        d.availableCredit.bands[0] = { max: 10, outcome: 'approve' };
      },
      'availableCredit.bands[0].outcome',
    ],
    [
      'a conditional approval without a condition',
      (d: CreditPolicyDocument) => {
        d.availableCredit.bands[0] = { max: 10, outcome: 'approve_with_conditions' };
      },
      'availableCredit.bands[0].condition',
    ],
    [
      'bands that do not rise',
      (d: CreditPolicyDocument) => {
        d.overdue.bands[1] = { max: 0.5, outcome: 'escalate' };
      },
      'overdue.bands[1].max',
    ],
    [
      'no catch-all band',
      (d: CreditPolicyDocument) => {
        (d.rating as { bands: unknown }).bands = [{ max: 6, outcome: 'approve' }];
      },
      'rating.bands[0].max',
    ],
    [
      'an unknown outcome',
      (d: CreditPolicyDocument) => {
        (d.blacklist as { outcome: string }).outcome = 'maybe';
      },
      'blacklist.outcome',
    ],
    [
      'negative terms',
      (d: CreditPolicyDocument) => {
        (d.terms as Record<string, number>).C = -1;
      },
      'terms.C',
    ],
  ])('rejects %s, naming the field', (_what, change, field) => {
    const attempt = () => compilePolicy(variant(change), 2);
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_policy', field }));
  });
});
