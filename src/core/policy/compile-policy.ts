import type { RegimeOverride } from '../cycle/regime.js';
import { invariant } from '../errors.js';
import {
  type Band,
  type CheckInput,
  type CompiledPolicy,
  type Condition,
  type ConditionKind,
  type CreditPolicyDocument,
  type Outcome,
  type Reason,
  SEVERITY,
} from './types.js';
import { validatePolicy } from './validate-policy.js';

interface CompiledBand<T> {
  readonly max: number;
  readonly outcome: Outcome;
  readonly condition: T | undefined;
  readonly rule: string;
}

/** Bands become a flat array with the catch-all's bound as +∞, so a lookup is a short loop. */
function compileBands<T>(bands: readonly Band<T>[], rule: string): CompiledBand<T>[] {
  return bands.map((band, i) => ({
    max: band.max ?? Number.POSITIVE_INFINITY,
    outcome: band.outcome,
    condition: band.condition,
    rule: `${rule}[${i}]`,
  }));
}

/** The decision is the most severe outcome any rule reached. */
function mostSevere(reasons: readonly Reason[]): Outcome {
  let outcome: Outcome = 'approve';
  for (const r of reasons) if (SEVERITY[r.outcome] > SEVERITY[outcome]) outcome = r.outcome;
  return outcome;
}

function bandFor<T>(bands: readonly CompiledBand<T>[], value: number): CompiledBand<T> {
  for (const band of bands) if (value <= band.max) return band;
  return bands[bands.length - 1] as CompiledBand<T>;
}

/**
 * Turns a validated policy document into a plain function. Every rule is evaluated in a fixed
 * order and reports what it saw; the most severe outcome decides. An approval never takes
 * exposure past the limit in force (customer or group): that is asserted on every decision.
 */
export function compilePolicy(doc: CreditPolicyDocument, policyVersion: number): CompiledPolicy {
  validatePolicy(doc);
  const ratingBands = compileBands(doc.rating.bands, 'rating.bands');
  const overdueBands = compileBands(doc.overdue.bands, 'overdue.bands');
  const creditBands = compileBands<ConditionKind>(doc.availableCredit.bands, 'availableCredit.bands');
  const weights = doc.overdue.riskWeights;
  const terms = doc.terms;
  const { blacklist, stopSupply, fxRateMissing, newCustomer } = doc;

  return (input: CheckInput) => {
    const reasons: Reason[] = [];

    if (input.blacklisted) {
      reasons.push({
        code: 'customer_blacklisted',
        outcome: blacklist.outcome,
        rule: 'blacklist',
        values: {},
      });
    }
    if (input.stopSupply) {
      reasons.push({
        code: 'stop_supply',
        outcome: stopSupply.outcome,
        rule: 'stopSupply',
        values: {},
      });
    }
    if (input.fxRateMissing) {
      reasons.push({
        code: 'fx_rate_missing',
        outcome: fxRateMissing.outcome,
        rule: 'fxRateMissing',
        values: {},
      });
    }
    if (input.customerAgeDays < newCustomer.maxAgeDays && input.orderMinor > newCustomer.maxOrderMinor) {
      reasons.push({
        code: 'new_customer_cap_exceeded',
        outcome: newCustomer.outcome,
        rule: 'newCustomer',
        values: {
          customerAgeDays: input.customerAgeDays,
          capMinor: newCustomer.maxOrderMinor,
          orderMinor: input.orderMinor,
        },
      });
    }
    if (input.warning && doc.warnings && doc.warnings[input.warning] !== 'approve') {
      reasons.push({
        code: 'early_warning',
        outcome: doc.warnings[input.warning],
        rule: `warnings.${input.warning}`,
        values: { severity: input.warning },
      });
    }
    if (doc.reviews && (input.reviewOverdueDays ?? 0) > 0 && doc.reviews.overdueOutcome !== 'approve') {
      reasons.push({
        code: 'review_overdue',
        outcome: doc.reviews.overdueOutcome,
        rule: 'reviews.overdueOutcome',
        values: { daysOverdue: input.reviewOverdueDays ?? 0 },
      });
    }
    if (doc.insurance) {
      const after = input.exposureMinor + input.orderMinor;
      const coveredMinor = Math.floor(
        (Math.min(Math.max(after, 0), input.insuredLimitMinor ?? 0) * (input.insuredCoveragePercent ?? 100)) /
          100,
      );
      const uninsuredMinor = after - (input.insuredLimitMinor == null ? 0 : coveredMinor);
      if (uninsuredMinor > doc.insurance.maxUninsuredMinor && doc.insurance.outcome !== 'approve')
        reasons.push({
          code: 'uninsured_exposure_over_cap',
          outcome: doc.insurance.outcome,
          rule: 'insurance.maxUninsuredMinor',
          values: { uninsuredMinor, capMinor: doc.insurance.maxUninsuredMinor },
        });
    }
    if (input.ratingGrade === null && input.screened === false && doc.rating.unscreenedOutcome) {
      if (doc.rating.unscreenedOutcome !== 'approve')
        reasons.push({
          code: 'unscreened_customer',
          outcome: doc.rating.unscreenedOutcome,
          rule: 'rating.unscreenedOutcome',
          values: {},
        });
    } else if (input.ratingGrade === null) {
      if (doc.rating.unratedOutcome !== 'approve') {
        reasons.push({
          code: 'unrated_customer',
          outcome: doc.rating.unratedOutcome,
          rule: 'rating.unratedOutcome',
          values: {},
        });
      }
    } else {
      const band = bandFor(ratingBands, input.ratingGrade);
      if (band.outcome !== 'approve') {
        reasons.push({
          code: 'rating_below_cutoff',
          outcome: band.outcome,
          rule: band.rule,
          values: { ratingGrade: input.ratingGrade },
        });
      }
    }
    if (input.overdueMinorDays > 0) {
      const weight = weights[input.riskClass];
      const index = (weight * input.overdueMinorDays) / Math.max(input.limitMinor, 1);
      const band = bandFor(overdueBands, index);
      reasons.push({
        code: band.outcome === 'approve' ? 'overdue_tolerated' : 'overdue_too_high',
        outcome: band.outcome,
        rule: band.rule,
        values: {
          overdueMinor: input.overdueMinor,
          overdueIndex: Math.round(index * 100) / 100,
          riskWeight: weight,
        },
      });
    }

    // Security counts toward the customer's limit as far as the policy says, and says so.
    const securedCreditMinor = doc.collateral
      ? Math.floor(Math.max(input.securedMinor ?? 0, 0) * doc.collateral.creditShare)
      : 0;
    const override = input.regime ? doc.cycle?.overrides?.[input.regime] : undefined;
    const regimeLimitMinor = regimeLimit(input, override, reasons);
    const limitMinor = regimeLimitMinor + securedCreditMinor;
    if (securedCreditMinor > 0)
      reasons.push({
        code: 'secured_by_collateral',
        outcome: 'approve',
        rule: 'collateral.creditShare',
        values: { securedMinor: input.securedMinor ?? 0, creditMinor: securedCreditMinor },
      });
    const customerAvailable = limitMinor - input.exposureMinor;
    const groupAvailable =
      input.groupLimitMinor === null || input.groupExposureMinor === null
        ? Number.POSITIVE_INFINITY
        : input.groupLimitMinor - input.groupExposureMinor;
    const groupBinds = groupAvailable < customerAvailable;
    const availableMinor = Math.min(customerAvailable, groupAvailable);
    const bindingLimit = groupBinds ? (input.groupLimitMinor as number) : limitMinor;
    let creditMinor = input.orderMinor;
    const conditions: Condition[] = [];
    if (input.orderMinor <= availableMinor) {
      reasons.push({
        code: 'within_available_credit',
        outcome: 'approve',
        rule: 'availableCredit',
        values: { orderMinor: input.orderMinor, availableMinor, limitMinor: bindingLimit },
      });
    } else {
      const excessMinor = input.orderMinor - Math.max(availableMinor, 0);
      const excessPercent = bindingLimit > 0 ? (excessMinor * 100) / bindingLimit : Number.POSITIVE_INFINITY;
      const band = bandFor(creditBands, excessPercent);
      reasons.push({
        code: groupBinds ? 'exceeds_group_available_credit' : 'exceeds_available_credit',
        outcome: band.outcome,
        rule: band.rule,
        values: {
          orderMinor: input.orderMinor,
          availableMinor,
          excessMinor,
          excessPercent: Number.isFinite(excessPercent) ? Math.round(excessPercent * 100) / 100 : null,
          limitMinor: bindingLimit,
        },
      });
      creditMinor = Math.max(availableMinor, 0);
      if (band.condition) {
        conditions.push({
          code: band.condition,
          amountMinor: excessMinor,
        });
      }
    }

    const outcome = mostSevere(reasons);
    const approved = outcome === 'approve' || outcome === 'approve_with_conditions';
    if (!approved) creditMinor = 0;
    invariant(
      !approved || input.exposureMinor + creditMinor <= limitMinor || creditMinor === 0,
      'an approval would take exposure past the limit (and the security the policy counts)',
    );
    invariant(
      !approved || creditMinor <= Math.max(groupAvailable, 0) || creditMinor === 0,
      'an approval would pass the group limit',
    );
    return {
      outcome,
      creditMinor,
      conditions: outcome === 'approve_with_conditions' ? conditions : [],
      reasons,
      termsDays: Math.min(terms[input.riskClass], override?.maxTermsDays ?? Number.POSITIVE_INFINITY),
      policyVersion,
    };
  };
}

/**
 * The limit the check holds the order to while a regime with an override lasts, and the regime's
 * own rating cut-off: both said in the reasons, so a decision shows the cycle moved it.
 */
function regimeLimit(input: CheckInput, override: RegimeOverride | undefined, reasons: Reason[]): number {
  if (!override || !input.regime) return input.limitMinor;
  if (override.maxGrade !== undefined && input.ratingGrade !== null && input.ratingGrade > override.maxGrade)
    reasons.push({
      code: 'regime_rating_cutoff',
      outcome: override.outcome ?? 'escalate',
      rule: `cycle.overrides.${input.regime}.maxGrade`,
      values: { regime: input.regime, ratingGrade: input.ratingGrade, maxGrade: override.maxGrade },
    });
  if (override.limitMultiplier === undefined || override.limitMultiplier === 1) return input.limitMinor;
  const limitMinor = Math.floor(input.limitMinor * override.limitMultiplier);
  reasons.push({
    code: 'regime_limit_scaled',
    outcome: 'approve',
    rule: `cycle.overrides.${input.regime}.limitMultiplier`,
    values: { regime: input.regime, multiplier: override.limitMultiplier, limitMinor },
  });
  return limitMinor;
}
