import { DomainError } from '../errors.js';
import type { RiskClass } from '../rating/risk-class.js';

/**
 * Who may approve what: a role may approve amounts up to `maxAmountMinor` (in the company's base
 * currency; null = no ceiling) for customers of the listed risk classes.
 */
export interface AuthorityRule {
  readonly role: string;
  readonly maxAmountMinor: number | null;
  readonly riskClasses: readonly RiskClass[];
}

const ALL: readonly RiskClass[] = ['A', 'B', 'C', 'D', 'E'];

export const DEFAULT_AUTHORITY: readonly AuthorityRule[] = [
  { role: 'credit_analyst', maxAmountMinor: 50_000_000, riskClasses: ['A', 'B', 'C'] },
  { role: 'credit_manager', maxAmountMinor: 500_000_000, riskClasses: ALL },
  { role: 'admin', maxAmountMinor: null, riskClasses: ALL },
];

export function mayApprove(
  matrix: readonly AuthorityRule[],
  role: string,
  amountMinor: number,
  riskClass: RiskClass,
): boolean {
  return matrix.some(
    (rule) =>
      rule.role === role &&
      rule.riskClasses.includes(riskClass) &&
      (rule.maxAmountMinor === null || amountMinor <= rule.maxAmountMinor),
  );
}

/** Four eyes: whoever asked may never approve, whatever their role. Then the matrix decides. */
export function assertMayApprove(
  matrix: readonly AuthorityRule[],
  approver: { id: string; role: string },
  requestedBy: string | null,
  amountMinor: number,
  riskClass: RiskClass,
): void {
  if (requestedBy !== null && approver.id === requestedBy) {
    throw new DomainError('four_eyes_violation', 'the requester cannot approve their own request');
  }
  if (!mayApprove(matrix, approver.role, amountMinor, riskClass)) {
    throw new DomainError(
      'insufficient_authority',
      `role ${approver.role} may not approve ${amountMinor} minor units for a risk class ${riskClass} customer`,
    );
  }
}
