import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CurrencyCode } from '../../src/core/money/currency.js';
import {
  APPROVALS,
  type AuthorityRule,
  assertMayApprove,
  authorityGaps,
  DEFAULT_AUTHORITY,
} from '../../src/core/policy/authority.js';
import { DEFAULT_POLICY } from '../../src/core/policy/default-policy.js';
import { validatePolicy } from '../../src/core/policy/validate-policy.js';
import { RISK_CLASSES } from '../../src/core/rating/risk-class.js';

const ROLES = ['sales', 'credit_analyst', 'credit_manager', 'finance', 'admin'];
const codeOf = (run: () => void) => {
  try {
    run();
    return 'approved';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('authority matrix', () => {
  it('self-approval always fails, and no one approves above their ceiling or outside their classes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROLES),
        fc.constantFrom(...APPROVALS),
        fc.constantFrom(...RISK_CLASSES),
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.boolean(),
        (role, approval, riskClass, amountMinor, ownRequest) => {
          const code = codeOf(() =>
            assertMayApprove(
              DEFAULT_AUTHORITY,
              approval,
              { id: 'approver', role },
              ownRequest ? 'approver' : 'requester',
              amountMinor,
              riskClass,
            ),
          );
          // The expectation, from the published default matrix read as a table.
          const ceiling =
            role === 'admin'
              ? Number.POSITIVE_INFINITY
              : role === 'credit_manager'
                ? 500_000_000
                : role === 'credit_analyst' && ['A', 'B', 'C'].includes(riskClass)
                  ? 50_000_000
                  : role === 'finance' && approval === 'write_off'
                    ? 5_000_000
                    : 0;
          const expected = ownRequest
            ? 'four_eyes_violation'
            : amountMinor <= ceiling
              ? 'approved'
              : 'insufficient_authority';
          expect(code).toBe(expected);
        },
      ),
    );
  });

  it('a rule limited to some approvals grants nothing else', () => {
    const matrix: AuthorityRule[] = [
      { role: 'finance', maxAmountMinor: null, riskClasses: ['A'], approvals: ['order_release'] },
    ];
    const approve = (approval: (typeof APPROVALS)[number]) =>
      codeOf(() => assertMayApprove(matrix, approval, { id: 'f', role: 'finance' }, 'sales', 1, 'A'));
    expect(approve('order_release')).toBe('approved');
    expect(approve('limit_change')).toBe('insufficient_authority');
  });

  it('names every approval and risk class nobody may approve without a ceiling', () => {
    expect(authorityGaps(DEFAULT_AUTHORITY)).toEqual([]);
    const gaps = authorityGaps([
      {
        role: 'admin',
        maxAmountMinor: null,
        riskClasses: ['A', 'B', 'C', 'D', 'E'],
        approvals: ['limit_change'],
      },
    ]);
    expect(gaps).toEqual([
      ...RISK_CLASSES.map((c) => `order_release for risk class ${c}`),
      ...RISK_CLASSES.map((c) => `write_off for risk class ${c}`),
    ]);
    expect(() => validatePolicy({ ...DEFAULT_POLICY, authority: [] })).toThrow(/authority: no role/);
    expect(() =>
      validatePolicy({
        ...DEFAULT_POLICY,
        authority: [{ role: 'admin', maxAmountMinor: -1, riskClasses: ['A', 'B', 'C', 'D', 'E'] }],
      }),
    ).toThrow(/authority\[0\]\.maxAmountMinor/);
  });

  it('a refusal says the amount with its currency, the approver’s ceiling, and who may approve it', () => {
    let message = '';
    try {
      assertMayApprove(
        DEFAULT_AUTHORITY,
        'write_off',
        { id: 'f', role: 'finance' },
        'c',
        6_000_000,
        'B',
        'CNY' as CurrencyCode,
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'write_off of 60000.00 CNY for a risk class B customer: role finance may approve up to 50000.00 CNY; credit_analyst or credit_manager or admin may approve it',
    );
  });
});
