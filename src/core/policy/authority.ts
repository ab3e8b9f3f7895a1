import { DomainError } from '../errors.js';
import type { CurrencyCode } from '../money/currency.js';
import { formatMajorAmount } from '../money/parse.js';
import { RISK_CLASSES, type RiskClass } from '../rating/risk-class.js';

/** The decisions the authority matrix governs. */
export const APPROVALS = ['order_release', 'limit_change', 'write_off'] as const;
export type Approval = (typeof APPROVALS)[number];

/**
 * Who may approve what: a role may approve amounts up to `maxAmountMinor` (in the company's base
 * currency; null = no ceiling) for customers of the listed risk classes, for the listed kinds of
 * approval (all kinds when `approvals` is absent).
 */
export interface AuthorityRule {
  readonly role: string;
  readonly maxAmountMinor: number | null;
  readonly riskClasses: RiskClass[];
  readonly approvals?: Approval[];
}

export const DEFAULT_AUTHORITY: AuthorityRule[] = [
  { role: 'credit_analyst', maxAmountMinor: 50_000_000, riskClasses: ['A', 'B', 'C'] },
  { role: 'credit_manager', maxAmountMinor: 500_000_000, riskClasses: [...RISK_CLASSES] },
  { role: 'admin', maxAmountMinor: null, riskClasses: [...RISK_CLASSES] },
  // Finance writes off small balances; larger ones go to a credit manager or an admin.
  { role: 'finance', maxAmountMinor: 5_000_000, riskClasses: [...RISK_CLASSES], approvals: ['write_off'] },
];

const covers = (rule: AuthorityRule, approval: Approval, riskClass: RiskClass) =>
  rule.riskClasses.includes(riskClass) && (rule.approvals?.includes(approval) ?? true);

export function mayApprove(
  matrix: readonly AuthorityRule[],
  approval: Approval,
  role: string,
  amountMinor: number,
  riskClass: RiskClass,
): boolean {
  return matrix.some(
    (rule) =>
      rule.role === role &&
      covers(rule, approval, riskClass) &&
      (rule.maxAmountMinor === null || amountMinor <= rule.maxAmountMinor),
  );
}

/** Four eyes: whoever asked may never approve, whatever their role. Then the matrix decides. */
export function assertMayApprove(
  matrix: readonly AuthorityRule[],
  approval: Approval,
  approver: { id: string; role: string },
  requestedBy: string | null,
  amountMinor: number,
  riskClass: RiskClass,
  /** The matrix's currency (the base currency): amounts and ceilings are shown in it. */
  currency: CurrencyCode = 'CNY' as CurrencyCode,
): void {
  if (requestedBy !== null && approver.id === requestedBy) {
    throw new DomainError('four_eyes_violation', 'the requester cannot approve their own request');
  }
  if (!mayApprove(matrix, approval, approver.role, amountMinor, riskClass)) {
    const own = matrix.filter((rule) => rule.role === approver.role && covers(rule, approval, riskClass));
    const ceiling = own.length === 0 ? null : Math.max(...own.map((rule) => rule.maxAmountMinor ?? Infinity));
    const amount =
      amountMinor < Number.MAX_SAFE_INTEGER
        ? `${formatMajorAmount(amountMinor, currency)} ${currency}`
        : 'an amount without an exchange rate';
    const limit =
      ceiling === null
        ? `role ${approver.role} has no authority for ${approval} for risk class ${riskClass}`
        : `role ${approver.role} may approve up to ${formatMajorAmount(ceiling, currency)} ${currency}`;
    const others = matrix
      .filter(
        (rule) =>
          covers(rule, approval, riskClass) &&
          (rule.maxAmountMinor === null || rule.maxAmountMinor >= amountMinor),
      )
      .map((rule) => rule.role);
    throw new DomainError(
      'insufficient_authority',
      `${approval} of ${amount} for a risk class ${riskClass} customer: ${limit}${others.length > 0 ? `; ${[...new Set(others)].join(' or ')} may approve it` : ''}`,
    );
  }
}

/**
 * A matrix must leave nothing unapprovable: for every kind of approval and every risk class some
 * role must be able to approve any amount, or requests above every ceiling would wait forever.
 */
export function authorityGaps(matrix: readonly AuthorityRule[]): string[] {
  const gaps: string[] = [];
  for (const approval of APPROVALS)
    for (const riskClass of RISK_CLASSES)
      if (!matrix.some((rule) => rule.maxAmountMinor === null && covers(rule, approval, riskClass)))
        gaps.push(`${approval} for risk class ${riskClass}`);
  return gaps;
}
