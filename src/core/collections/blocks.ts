import { DomainError } from '../errors.js';
import { addMonths, type BusinessDate } from '../time/business-date.js';

/** Why a customer is blocked (E6); stated on the block and in the audit log. */
export const BLOCK_REASONS = [
  'fraud',
  'insolvency',
  'persistent_late_payment',
  'legal_dispute',
  'sanctions',
  'relationship_ended',
  'other',
] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

/** blacklist: no credit until lifted; exit: the relationship ends, collection runs to the end. */
export type BlockKind = 'blacklist' | 'exit';

/** What must hold before a block may be lifted, besides an authorised approver. */
export interface RemovalConditions {
  readonly allOverduePaid: boolean;
  /** Months in a row with no invoice past due, up to the day of removal. */
  readonly monthsClean: number;
}

export interface AccountStanding {
  /** Open invoices past due today. */
  readonly overdueInvoices: number;
  /** The last day any invoice was paid after its due date, if ever. */
  readonly lastLatePaymentOn: BusinessDate | null;
}

export function validateRemovalConditions(conditions: RemovalConditions): RemovalConditions {
  if (
    !(Number.isInteger(conditions.monthsClean) && conditions.monthsClean >= 0 && conditions.monthsClean <= 60)
  )
    throw new DomainError(
      'invalid_request',
      'monthsClean must be whole months from 0 to 60',
      'conditions.monthsClean',
    );
  return conditions;
}

/** The conditions for lifting a block that do not hold today, in words; empty when all hold. */
export function unmetRemovalConditions(
  conditions: RemovalConditions,
  standing: AccountStanding,
  today: BusinessDate,
): string[] {
  const unmet: string[] = [];
  if (conditions.allOverduePaid && standing.overdueInvoices > 0)
    unmet.push(`${standing.overdueInvoices} overdue invoice(s) still open`);
  if (conditions.monthsClean > 0) {
    const cleanSince = addMonths(today, -conditions.monthsClean);
    if (standing.overdueInvoices > 0)
      unmet.push(`not clean for ${conditions.monthsClean} months: invoices are overdue today`);
    else if (standing.lastLatePaymentOn && standing.lastLatePaymentOn > cleanSince)
      unmet.push(
        `not clean for ${conditions.monthsClean} months: last late payment on ${standing.lastLatePaymentOn}, clean from ${addMonths(standing.lastLatePaymentOn, conditions.monthsClean)}`,
      );
  }
  return unmet;
}
