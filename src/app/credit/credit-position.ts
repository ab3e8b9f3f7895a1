import { DomainError } from '../../core/errors.js';
import { type Exposure, exposureIn } from '../../core/exposure/exposure.js';
import { type LimitInForce, limitInForce, type ReleaseTier } from '../../core/limits/limits.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import type { ScreenOutcome } from '../../core/onboarding/pre-screen.js';
import type { RatingSource } from '../../core/rating/override.js';
import type { RiskClass } from '../../core/rating/risk-class.js';
import { type BusinessDate, daysBetween } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';
import { type LimitRow, type LimitSubject, type PositionReader, storeReader } from './position-reader.js';

export interface SubjectPosition {
  readonly currency: CurrencyCode;
  readonly limit: LimitInForce;
  readonly exposure: Exposure;
  readonly availableMinor: number;
}

export interface CreditPosition extends SubjectPosition {
  readonly customerId: string;
  readonly riskClass: RiskClass;
  readonly ratingGrade: number | null;
  /** manual | model | override: an overridden rating says so wherever it is shown (A6). */
  readonly ratingSource: RatingSource;
  readonly blacklisted: boolean;
  readonly stopSupply: boolean;
  readonly tradingSince: BusinessDate | null;
  readonly insuredLimitMinor: number | null;
  readonly insuredCoveragePercent: number | null;
  readonly guaranteeMinor: number | null;
  readonly overdueMinor: number;
  readonly overdueMinorDays: number;
  /** The most severe live early-warning alert on the customer (high or critical), if any. */
  readonly warning: 'high' | 'critical' | null;
  /** When the periodic credit review is due; null: never reviewed. */
  readonly nextReviewOn: BusinessDate | null;
  /** The screen at first contact; null: never screened (a customer from before screening). */
  readonly screenOutcome: ScreenOutcome | null;
  /** The group's limit and exposure, both in this customer's currency. */
  readonly group:
    | (SubjectPosition & {
        readonly groupId: string;
        readonly limitCurrency: CurrencyCode;
        readonly limitMinor: number;
      })
    | null;
}

async function limitsOf(
  reader: PositionReader,
  subject: LimitSubject,
  today: BusinessDate,
): Promise<{ limit: LimitInForce; currency: string | null }> {
  return limitFromRows(await reader.limits(subject), today);
}

/** The limit in force today from a subject's active limit rows (permanent with tiers, temporaries). */
export function limitFromRows(
  rows: readonly LimitRow[],
  today: BusinessDate,
): { limit: LimitInForce; currency: string | null } {
  const permanent = rows.find((r) => r.kind === 'permanent');
  const limit = limitInForce(
    permanent
      ? {
          amountMinor: permanent.amount_minor,
          startsOn: permanent.starts_on as BusinessDate,
          tiers: permanent.tiers_json ? (JSON.parse(permanent.tiers_json) as ReleaseTier[]) : null,
          releasedPercent: permanent.released_percent,
        }
      : null,
    rows
      .filter((r) => r.kind === 'temporary')
      .map((r) => ({
        amountMinor: r.amount_minor,
        startsOn: r.starts_on as BusinessDate,
        expiresOn: r.expires_on as BusinessDate,
      })),
    today,
  );
  return { limit, currency: rows[0]?.currency ?? null };
}

/**
 * Everything a credit decision needs about one customer on `today`, read from a handful of rows:
 * profile, limits in force (own and group's), exposure balances converted at the day's rates, and
 * the overdue items from the open-items index (never a scan of the invoice table).
 */
export async function creditPosition(
  source: Executor | PositionReader,
  customerId: string,
  today: BusinessDate,
): Promise<CreditPosition> {
  const reader = 'groupMembers' in source ? source : storeReader(source);
  const customer = await reader.customer(customerId);
  if (!customer)
    throw new DomainError('customer_not_found', `customer ${customerId} does not exist`, 'customerId');
  const currency = customer.currency as CurrencyCode;
  const own = await reader.balances([customerId]);
  const overdueRows = await reader.overdue(customerId, today);
  const groupMembers = customer.group_id ? await reader.groupMembers(customer.group_id) : [];
  const groupBalances = await reader.balances(groupMembers);
  const groupLimits = customer.group_id
    ? await limitsOf(reader, { type: 'group', id: customer.group_id }, today)
    : null;
  const groupCurrency = (groupLimits?.currency ?? currency) as CurrencyCode;
  const currencies = new Set<CurrencyCode>([...own, ...groupBalances].map((b) => b.currency));
  for (const row of overdueRows) currencies.add(row.currency as CurrencyCode);
  const rates = await reader.rates(today, [
    ...[...currencies].map((c) => [c, currency] as [CurrencyCode, CurrencyCode]),
    [groupCurrency, currency],
  ]);

  const exposure = exposureIn(currency, own, rates);
  const ownLimits = await limitsOf(reader, { type: 'customer', id: customerId }, today);
  let overdueMinor = 0;
  let overdueMinorDays = 0;
  for (const row of overdueRows) {
    const dpd = daysBetween(row.due_date as BusinessDate, today);
    const converted = exposureIn(
      currency,
      [
        {
          currency: row.currency as CurrencyCode,
          receivablesMinor: row.open_minor,
          openOrdersMinor: 0,
          shippedMinor: 0,
        },
      ],
      rates,
    ).receivablesMinor;
    overdueMinor += converted;
    overdueMinorDays += converted * dpd;
  }
  // A group constrains its members only once it has a limit of its own. Its limit is converted
  // into the customer's currency so the check compares like with like.
  let group: CreditPosition['group'] = null;
  if (customer.group_id && groupLimits?.currency) {
    const groupExposure = exposureIn(currency, groupBalances, rates);
    const limitAsBalance = {
      currency: groupCurrency,
      receivablesMinor: groupLimits.limit.totalMinor,
      openOrdersMinor: 0,
      shippedMinor: 0,
    };
    const converted = exposureIn(currency, [limitAsBalance], rates);
    group = {
      groupId: customer.group_id,
      currency,
      limit: groupLimits.limit,
      limitCurrency: groupCurrency,
      limitMinor: converted.totalMinor,
      exposure: {
        ...groupExposure,
        missingRates: [...groupExposure.missingRates, ...converted.missingRates],
      },
      availableMinor: converted.totalMinor - groupExposure.totalMinor,
    };
  }
  return {
    customerId,
    currency,
    limit: ownLimits.limit,
    exposure,
    availableMinor: ownLimits.limit.totalMinor - exposure.totalMinor,
    riskClass: customer.risk_class as RiskClass,
    ratingGrade: customer.rating_grade,
    ratingSource: customer.rating_source as RatingSource,
    blacklisted: customer.blacklisted === 1,
    stopSupply: customer.stop_supply === 1,
    tradingSince: customer.trading_since as BusinessDate | null,
    insuredLimitMinor: customer.insured_limit_minor,
    insuredCoveragePercent: customer.insured_coverage_percent,
    guaranteeMinor: customer.guarantee_minor,
    overdueMinor,
    overdueMinorDays,
    nextReviewOn: customer.next_review_on as BusinessDate | null,
    screenOutcome: customer.screen_outcome as ScreenOutcome | null,
    warning:
      customer.warning_severity === 'high' || customer.warning_severity === 'critical'
        ? customer.warning_severity
        : null,
    group,
  };
}
