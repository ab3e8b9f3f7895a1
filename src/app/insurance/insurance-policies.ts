import type { Selectable } from 'kysely';
import { parseCountry, requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import type { InsuranceTerms } from '../../core/insurance/insurance-policy.js';
import { parseCurrency } from '../../core/money/currency.js';
import { type BusinessDate, parseBusinessDate } from '../../core/time/business-date.js';
import type { InsurancePolicyTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';

export interface InsurancePolicyInput {
  readonly insurer: string;
  readonly policyNumber: string;
  readonly currency: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly indemnityPercent: number;
  readonly deductibleMinor?: number;
  readonly aggregateFirstLossMinor?: number;
  readonly maxLiabilityMinor: number;
  readonly discretionaryLimitMinor?: number;
  readonly maxExtensionDays?: number;
  readonly notificationDays: number;
  readonly claimFilingDays: number;
  readonly premiumRatePercent: number;
  readonly excludedCountries?: readonly string[];
}

function amount(value: unknown, field: string): number {
  if (!(Number.isSafeInteger(value) && (value as number) >= 0))
    throw new DomainError(
      'invalid_amount',
      `${field} must be a whole amount in minor units, 0 or more`,
      field,
    );
  return value as number;
}

function days(value: unknown, field: string, max: number): number {
  if (!(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max))
    throw new DomainError('invalid_days', `${field} must be whole days from 0 to ${max}`, field);
  return value as number;
}

function percent(value: unknown, field: string, max: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max))
    throw new DomainError('invalid_percent', `${field} must be a percentage from 0 to ${max}`, field);
  return value;
}

export function policyRecord(row: Selectable<InsurancePolicyTable>) {
  return {
    id: row.id,
    insurer: row.insurer,
    policyNumber: row.policy_number,
    currency: row.currency,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    indemnityPercent: Number(row.indemnity_percent),
    deductibleMinor: Number(row.deductible_minor),
    aggregateFirstLossMinor: Number(row.aggregate_first_loss_minor),
    maxLiabilityMinor: Number(row.max_liability_minor),
    discretionaryLimitMinor: Number(row.discretionary_limit_minor),
    maxExtensionDays: Number(row.max_extension_days),
    notificationDays: Number(row.notification_days),
    claimFilingDays: Number(row.claim_filing_days),
    premiumRatePercent: Number(row.premium_rate_percent),
    excludedCountries: JSON.parse(row.excluded_countries) as string[],
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export function termsOf(row: Selectable<InsurancePolicyTable>): InsuranceTerms {
  const p = policyRecord(row);
  return {
    id: p.id,
    currency: p.currency,
    startsOn: p.startsOn as BusinessDate,
    endsOn: p.endsOn as BusinessDate,
    indemnity: p.indemnityPercent / 100,
    deductibleMinor: p.deductibleMinor,
    aggregateFirstLossMinor: p.aggregateFirstLossMinor,
    discretionaryLimitMinor: p.discretionaryLimitMinor,
    maxExtensionDays: p.maxExtensionDays,
    notificationDays: p.notificationDays,
    claimFilingDays: p.claimFilingDays,
    excludedCountries: p.excludedCountries,
  };
}

/** Records a credit-insurance policy (F2) with every term checked and named when wrong. */
export async function createInsurancePolicy(services: Services, actor: Actor, input: InsurancePolicyInput) {
  const startsOn = parseBusinessDate(input.startsOn, 'startsOn');
  const endsOn = parseBusinessDate(input.endsOn, 'endsOn');
  if (endsOn < startsOn)
    throw new DomainError('invalid_period', 'endsOn must not be before startsOn', 'endsOn');
  const notificationDays = days(input.notificationDays, 'notificationDays', 365);
  const claimFilingDays = days(input.claimFilingDays, 'claimFilingDays', 730);
  if (claimFilingDays < notificationDays)
    throw new DomainError(
      'invalid_days',
      'claimFilingDays must not be before the notification deadline',
      'claimFilingDays',
    );
  const row = {
    id: services.ids.next('ins'),
    insurer: requireText(input.insurer, 'insurer', 200),
    policy_number: requireText(input.policyNumber, 'policyNumber', 100),
    currency: parseCurrency(input.currency, 'currency'),
    starts_on: startsOn,
    ends_on: endsOn,
    indemnity_percent: percent(input.indemnityPercent, 'indemnityPercent', 100),
    deductible_minor: amount(input.deductibleMinor ?? 0, 'deductibleMinor'),
    aggregate_first_loss_minor: amount(input.aggregateFirstLossMinor ?? 0, 'aggregateFirstLossMinor'),
    max_liability_minor: amount(input.maxLiabilityMinor, 'maxLiabilityMinor'),
    discretionary_limit_minor: amount(input.discretionaryLimitMinor ?? 0, 'discretionaryLimitMinor'),
    max_extension_days: days(input.maxExtensionDays ?? 0, 'maxExtensionDays', 365),
    notification_days: notificationDays,
    claim_filing_days: claimFilingDays,
    premium_rate_percent: percent(input.premiumRatePercent, 'premiumRatePercent', 10),
    excluded_countries: JSON.stringify(
      [
        ...new Set((input.excludedCountries ?? []).map((c, i) => parseCountry(c, `excludedCountries[${i}]`))),
      ].sort(),
    ),
    created_by: actor,
    created_at: services.clock.now().toISOString(),
  };
  return services.store.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('insurance_policies')
      .select('id')
      .where('policy_number', '=', row.policy_number)
      .executeTakeFirst();
    if (taken)
      throw new DomainError(
        'duplicate_policy_number',
        `policy ${row.policy_number} is already recorded`,
        'policyNumber',
      );
    return insertOneAudited(trx, 'insurance_policies', row, policyRecord, {
      actor,
      now: row.created_at,
      action: 'insurance_policy.created',
    });
  });
}

export async function listInsurancePolicies(executor: Executor) {
  const rows = await executor
    .selectFrom('insurance_policies')
    .selectAll()
    .orderBy('starts_on', 'desc')
    .execute();
  return { items: rows.map(policyRecord) };
}

export async function insurancePolicyRow(executor: Executor, id: string) {
  const row = await executor
    .selectFrom('insurance_policies')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DomainError('insurance_policy_not_found', `no insurance policy ${id}`, 'policyId');
  return row;
}
