import { DomainError, invariant } from '../errors.js';
import { assertMinor } from '../money/money.js';
import type { BusinessDate } from '../time/business-date.js';

/**
 * A step of a step-wise release: `sharePercent` of the approved limit is available once the
 * customer has paid `onTimeInvoices` invoices on time and gone `monthsClean` months without an
 * overdue item since the limit was approved.
 */
export interface ReleaseTier {
  readonly sharePercent: number;
  readonly onTimeInvoices: number;
  readonly monthsClean: number;
}

export interface PermanentLimit {
  readonly amountMinor: number;
  readonly startsOn: BusinessDate;
  readonly tiers: readonly ReleaseTier[] | null;
  /** The share released so far (100 without tiers). */
  readonly releasedPercent: number;
}

export interface TemporaryLimit {
  readonly amountMinor: number;
  readonly startsOn: BusinessDate;
  readonly expiresOn: BusinessDate;
}

export interface LimitInForce {
  /** The approved permanent limit, before release tiers. */
  readonly approvedMinor: number;
  /** The part of the permanent limit released so far. */
  readonly releasedMinor: number;
  readonly releasedPercent: number;
  /** Active temporary limits, added on top. */
  readonly temporaryMinor: number;
  readonly totalMinor: number;
}

/** The limit in force on `today`: released part of the permanent limit plus active temporary limits. */
export function limitInForce(
  permanent: PermanentLimit | null,
  temporary: readonly TemporaryLimit[],
  today: BusinessDate,
): LimitInForce {
  const active = permanent && permanent.startsOn <= today ? permanent : null;
  const approvedMinor = active?.amountMinor ?? 0;
  const releasedPercent = active ? active.releasedPercent : 0;
  // Round down: a released tier never grants a minor unit more than its share.
  const releasedMinor = Math.floor((approvedMinor * releasedPercent) / 100);
  let temporaryMinor = 0;
  for (const t of temporary) {
    if (t.startsOn <= today && today <= t.expiresOn)
      temporaryMinor = assertMinor(temporaryMinor + t.amountMinor);
  }
  return {
    approvedMinor,
    releasedMinor,
    releasedPercent,
    temporaryMinor,
    totalMinor: assertMinor(releasedMinor + temporaryMinor),
  };
}

/** Checks tiers: shares rise to exactly 100, milestones never fall. */
export function validateTiers(tiers: readonly ReleaseTier[]): void {
  if (tiers.length === 0)
    throw new DomainError(
      'invalid_tiers',
      'tiers must not be empty; omit them for an immediate release',
      'tiers',
    );
  tiers.forEach((tier, i) => {
    const field = `tiers.${i}`;
    if (!(Number.isInteger(tier.sharePercent) && tier.sharePercent > 0 && tier.sharePercent <= 100)) {
      throw new DomainError(
        'invalid_tiers',
        'sharePercent must be a whole number from 1 to 100',
        `${field}.sharePercent`,
      );
    }
    const previous = tiers[i - 1];
    if (previous && tier.sharePercent <= previous.sharePercent) {
      throw new DomainError(
        'invalid_tiers',
        'each tier must release a larger share than the one before',
        `${field}.sharePercent`,
      );
    }
    if (
      previous &&
      (tier.onTimeInvoices < previous.onTimeInvoices || tier.monthsClean < previous.monthsClean)
    ) {
      throw new DomainError(
        'invalid_tiers',
        "a later tier's milestones may not be lower than an earlier one's",
        field,
      );
    }
  });
  if (tiers.at(-1)?.sharePercent !== 100) {
    throw new DomainError(
      'invalid_tiers',
      'the last tier must release 100%',
      `tiers.${tiers.length - 1}.sharePercent`,
    );
  }
}

export interface PaymentTrackRecord {
  /** Invoices paid in full on or before their due date since the limit was approved. */
  readonly onTimeInvoices: number;
  /** Whole months since the last day the customer had an overdue item (or since approval). */
  readonly monthsClean: number;
}

/** The share released by the milestones met; tiers release in order and never go back. */
export function releasedPercent(
  tiers: readonly ReleaseTier[] | null,
  record: PaymentTrackRecord,
  current: number,
): number {
  if (!tiers) return 100;
  let share = 0;
  for (const tier of tiers) {
    if (record.onTimeInvoices >= tier.onTimeInvoices && record.monthsClean >= tier.monthsClean)
      share = tier.sharePercent;
    else break;
  }
  invariant(share >= 0 && share <= 100, 'released share out of range');
  return Math.max(share, current);
}
