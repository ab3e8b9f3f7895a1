import type { BusinessDate } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';
import { COLLATERAL_EXPIRY_ALERT, collateralExpiryFirings } from '../collateral/collateral.js';
import { INSURER_DEADLINE_ALERT, insurerDeadlineFirings } from '../insurance/deadline-tracker.js';

/** An alert that follows a contract's own terms rather than a warning rule: raised and cleared beside them. */
export interface BuiltInAlert {
  readonly rule: {
    readonly id: string;
    readonly severity: 'medium';
    readonly ownerRole: 'credit_analyst';
    readonly slaDays: number;
    readonly action: 'notify_insurer' | 'review';
  };
  readonly firings: (
    db: Executor,
    day: BusinessDate,
    customerIds?: readonly string[],
  ) => Promise<Map<string, Record<string, number>>>;
}

/** The insurer's notification deadline, and a letter of credit or guarantee about to expire. */
export const BUILT_IN_ALERTS: readonly BuiltInAlert[] = [
  { rule: INSURER_DEADLINE_ALERT, firings: insurerDeadlineFirings },
  { rule: COLLATERAL_EXPIRY_ALERT, firings: collateralExpiryFirings },
];
