import type { BusinessDate } from '../time/business-date.js';

export const COLLATERAL_KINDS = ['letter_of_credit', 'bank_guarantee', 'parent_guarantee', 'other'] as const;
export type CollateralKind = (typeof COLLATERAL_KINDS)[number];

/** A letter of credit or guarantee as far as the check and the reserve need it. */
export interface Security {
  readonly amountMinor: number;
  readonly validFrom: BusinessDate;
  readonly expiresOn: BusinessDate;
  readonly releasedOn: BusinessDate | null;
}

/** Valid on `day`: in force, not yet expired (the expiry day is the last it may be drawn), not released. */
export function validOn(security: Security, day: BusinessDate): boolean {
  return (
    security.validFrom <= day &&
    day <= security.expiresOn &&
    (security.releasedOn === null || security.releasedOn > day)
  );
}
