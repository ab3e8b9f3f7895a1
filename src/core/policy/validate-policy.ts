import { validateAppetite } from '../appetite/risk-appetite.js';
import { validateCycle } from '../cycle/regime.js';
import { DomainError } from '../errors.js';
import { RISK_CLASSES } from '../rating/risk-class.js';
import { APPROVALS, type AuthorityRule, authorityGaps } from './authority.js';
import type { CommitteeRule } from './committee.js';
import { type Band, type CreditPolicyDocument, OUTCOMES } from './types.js';

function fail(field: string, message: string): never {
  throw new DomainError('invalid_policy', `${field}: ${message}`, field);
}

function checkOutcome(value: unknown, field: string): void {
  if (!(OUTCOMES as readonly unknown[]).includes(value)) fail(field, `must be one of ${OUTCOMES.join(', ')}`);
}

function checkBands(bands: readonly Band<unknown>[], field: string): void {
  if (!Array.isArray(bands) || bands.length === 0) fail(field, 'needs at least one band');
  bands.forEach((band, i) => {
    checkOutcome(band.outcome, `${field}[${i}].outcome`);
    const last = i === bands.length - 1;
    if (last && band.max !== null)
      fail(`${field}[${i}].max`, 'the last band must be the catch-all (max: null)');
    if (!last && (typeof band.max !== 'number' || !Number.isFinite(band.max)))
      fail(`${field}[${i}].max`, 'must be a number');
    const previous = bands[i - 1];
    if (!last && previous && (band.max as number) <= (previous.max as number))
      fail(`${field}[${i}].max`, 'bands must rise');
  });
}

/**
 * The checks a JSON schema cannot express: rising bands, a catch-all band, and no band that could
 * approve an order past the limit without a condition that keeps exposure within it.
 */
export function validatePolicy(doc: CreditPolicyDocument): void {
  checkOutcome(doc.blacklist?.outcome, 'blacklist.outcome');
  checkOutcome(doc.stopSupply?.outcome, 'stopSupply.outcome');
  checkOutcome(doc.fxRateMissing?.outcome, 'fxRateMissing.outcome');
  checkOutcome(doc.newCustomer?.outcome, 'newCustomer.outcome');
  if (doc.appetite !== undefined) validateAppetite(doc.appetite);
  if (doc.cycle !== undefined) validateCycle(doc.cycle);
  if (doc.reviews !== undefined) {
    checkOutcome(doc.reviews?.overdueOutcome, 'reviews.overdueOutcome');
    for (const riskClass of RISK_CLASSES) {
      const months = doc.reviews?.cycleMonths?.[riskClass];
      if (!(Number.isInteger(months) && months >= 1 && months <= 60))
        fail(`reviews.cycleMonths.${riskClass}`, 'must be whole months from 1 to 60');
    }
  }
  if (doc.collateral !== undefined) {
    const share = doc.collateral?.creditShare;
    if (!(typeof share === 'number' && share >= 0 && share <= 1))
      fail('collateral.creditShare', 'must be a share from 0 to 1');
  }
  if (doc.insurance !== undefined) {
    checkOutcome(doc.insurance?.outcome, 'insurance.outcome');
    const cap = doc.insurance?.maxUninsuredMinor;
    if (!(Number.isSafeInteger(cap) && (cap as number) >= 0))
      fail('insurance.maxUninsuredMinor', 'must be a whole amount in minor units, 0 or more');
  }
  if (doc.warnings !== undefined) {
    checkOutcome(doc.warnings?.high, 'warnings.high');
    checkOutcome(doc.warnings?.critical, 'warnings.critical');
  }
  checkOutcome(doc.rating?.unratedOutcome, 'rating.unratedOutcome');
  if (doc.rating?.unscreenedOutcome !== undefined)
    checkOutcome(doc.rating.unscreenedOutcome, 'rating.unscreenedOutcome');
  checkBands(doc.rating?.bands, 'rating.bands');
  checkBands(doc.overdue?.bands, 'overdue.bands');
  checkBands(doc.availableCredit?.bands, 'availableCredit.bands');
  doc.availableCredit.bands.forEach((band, i) => {
    const field = `availableCredit.bands[${i}]`;
    if (band.outcome === 'approve')
      fail(`${field}.outcome`, 'an order past available credit cannot be approved outright');
    if (band.outcome === 'approve_with_conditions' && !band.condition) {
      fail(
        `${field}.condition`,
        'approve_with_conditions needs a condition (prepay_excess or partial_release)',
      );
    }
  });
  for (const riskClass of RISK_CLASSES) {
    const weight = doc.overdue.riskWeights?.[riskClass];
    if (!(typeof weight === 'number' && weight >= 0))
      fail(`overdue.riskWeights.${riskClass}`, 'must be a number ≥ 0');
    const terms = doc.terms?.[riskClass];
    if (!(Number.isInteger(terms) && terms >= 0 && terms <= 365))
      fail(`terms.${riskClass}`, 'must be whole days from 0 to 365');
  }
  if (doc.authority) checkAuthority(doc.authority);
  if (doc.committee) checkCommittee(doc.committee);
}

function checkCommittee(rule: CommitteeRule): void {
  if (!(Number.isSafeInteger(rule.thresholdMinor) && rule.thresholdMinor >= 0))
    fail('committee.thresholdMinor', 'must be whole minor units ≥ 0');
  if (!Array.isArray(rule.roles) || rule.roles.length === 0 || new Set(rule.roles).size !== rule.roles.length)
    fail('committee.roles', 'must list one or more distinct roles');
}

function checkAuthority(rules: readonly AuthorityRule[]): void {
  rules.forEach((rule, i) => {
    const field = `authority[${i}]`;
    if (typeof rule.role !== 'string' || rule.role.length === 0) fail(`${field}.role`, 'must name a role');
    if (
      rule.maxAmountMinor !== null &&
      !(Number.isSafeInteger(rule.maxAmountMinor) && rule.maxAmountMinor >= 0)
    )
      fail(`${field}.maxAmountMinor`, 'must be whole minor units ≥ 0, or null for no ceiling');
    if (!rule.riskClasses?.length || !rule.riskClasses.every((c) => RISK_CLASSES.includes(c)))
      fail(`${field}.riskClasses`, `must list some of ${RISK_CLASSES.join(', ')}`);
    if (
      rule.approvals &&
      (rule.approvals.length === 0 || !rule.approvals.every((a) => APPROVALS.includes(a)))
    )
      fail(`${field}.approvals`, `must list some of ${APPROVALS.join(', ')}`);
  });
  const gaps = authorityGaps(rules);
  if (gaps.length > 0) fail('authority', `no role may approve an unlimited amount of ${gaps.join('; ')}`);
}
