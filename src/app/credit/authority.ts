import type { CurrencyCode } from '../../core/money/currency.js';
import { convert } from '../../core/money/fx.js';
import { money } from '../../core/money/money.js';
import { type Approval, assertMayApprove } from '../../core/policy/authority.js';
import type { RiskClass } from '../../core/rating/risk-class.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';
import type { Actor } from '../services.js';
import { BASE_CURRENCY, rateLookupFor } from './fx-rates.js';
import { activePolicy } from './policies.js';
import type { LimitSubject } from './position-reader.js';

export interface Approver {
  readonly actor: Actor;
  readonly role: string;
}

/**
 * Four eyes, then the active policy's authority matrix, for an amount in any currency (see
 * baseAmountMinor).
 */
export async function assertAuthority(
  executor: Executor,
  approval: Approval,
  approver: Approver,
  requestedBy: string | null,
  amountMinor: number,
  currency: CurrencyCode,
  riskClass: RiskClass,
  today: BusinessDate,
): Promise<void> {
  const baseMinor = await baseAmountMinor(executor, amountMinor, currency, today);
  assertMayApprove(
    (await activePolicy(executor)).authority,
    approval,
    { id: approver.actor, role: approver.role },
    requestedBy,
    baseMinor,
    riskClass,
    BASE_CURRENCY,
  );
}

/**
 * An amount in the base currency at the day's rate, for the authority matrix and the committee.
 * Without a rate it counts as unbounded: only the widest authority may approve it.
 */
export async function baseAmountMinor(
  executor: Executor,
  amountMinor: number,
  currency: CurrencyCode,
  today: BusinessDate,
): Promise<number> {
  if (currency === BASE_CURRENCY) return amountMinor;
  const rate = (await rateLookupFor(executor, today, [[currency, BASE_CURRENCY]]))(currency, BASE_CURRENCY);
  return rate
    ? convert(money(amountMinor, currency), BASE_CURRENCY, rate, 'half_up').amountMinor
    : Number.MAX_SAFE_INTEGER;
}

/** The risk class a limit decision is judged on: the customer's, or the worst among a group's members. */
export async function riskClassOf(executor: Executor, subject: LimitSubject): Promise<RiskClass> {
  const rows = await executor
    .selectFrom('credit_profiles')
    .innerJoin('customers', 'customers.id', 'credit_profiles.customer_id')
    .select('credit_profiles.risk_class')
    .where(subject.type === 'customer' ? 'customers.id' : 'customers.group_id', '=', subject.id)
    .execute();
  const classes = rows.map((r) => r.risk_class).sort();
  return (classes.at(-1) ?? 'C') as RiskClass;
}
