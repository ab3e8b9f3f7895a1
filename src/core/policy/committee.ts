import { DomainError } from '../errors.js';

/**
 * The credit committee (G2): limit changes above `thresholdMinor` (base currency) need a sign-off
 * from a member of each of `roles` before anyone with authority may approve them; any one member
 * may reject, with reasons, and that ends the request.
 */
export interface CommitteeRule {
  readonly thresholdMinor: number;
  readonly roles: string[];
}

export const DEFAULT_COMMITTEE: CommitteeRule = {
  // 5,000,000.00 CNY: above what a credit manager approves alone under the default matrix.
  thresholdMinor: 500_000_000,
  roles: ['sales', 'finance', 'legal'],
};

export interface SignOff {
  readonly role: string;
  readonly actor: string;
  readonly decision: 'approve' | 'reject';
  readonly note: string;
}

export function needsCommittee(rule: CommitteeRule | null, baseAmountMinor: number): boolean {
  return rule !== null && baseAmountMinor > rule.thresholdMinor;
}

/** The committee roles that have not signed yet. */
export function missingSignOffs(rule: CommitteeRule, signOffs: readonly SignOff[]): string[] {
  return rule.roles.filter((role) => !signOffs.some((s) => s.role === role && s.decision === 'approve'));
}

/**
 * A member signs once per request, for the role they hold, and never on their own request: the
 * committee is more eyes, not the same ones again.
 */
export function assertMaySignOff(
  rule: CommitteeRule | null,
  signer: { actor: string; role: string },
  requestedBy: string,
  signOffs: readonly SignOff[],
  baseAmountMinor: number,
): void {
  if (!rule || !needsCommittee(rule, baseAmountMinor))
    throw new DomainError('committee_not_required', 'this request is within what approvers decide alone');
  if (signer.actor === requestedBy)
    throw new DomainError('four_eyes_violation', 'the requester cannot sign off their own request');
  if (!rule.roles.includes(signer.role))
    throw new DomainError(
      'not_a_committee_role',
      `the committee is ${rule.roles.join(', ')}; role ${signer.role} does not sit on it`,
    );
  if (signOffs.some((s) => s.role === signer.role))
    throw new DomainError('already_signed', `role ${signer.role} has already signed off this request`);
  if (signOffs.some((s) => s.actor === signer.actor))
    throw new DomainError('already_signed', 'one person signs a request once');
}

/** The final approval waits for every committee role. */
export function assertCommitteeDone(
  rule: CommitteeRule | null,
  signOffs: readonly SignOff[],
  baseAmountMinor: number,
): void {
  if (!rule || !needsCommittee(rule, baseAmountMinor)) return;
  const missing = missingSignOffs(rule, signOffs);
  if (missing.length > 0)
    throw new DomainError(
      'committee_pending',
      `the credit committee has yet to sign off: ${missing.join(', ')}`,
    );
}
