import { addDays, type BusinessDate, daysBetween } from '../time/business-date.js';
import type { InsuranceTerms } from './insurance-policy.js';

export interface InvoiceDeadlines {
  /** The due date the deadlines run from: the extended one, as far as the policy allows. */
  readonly effectiveDueDate: BusinessDate;
  readonly notifyBy: BusinessDate;
  readonly claimBy: BusinessDate;
}

/**
 * The insurer's deadlines for an unpaid invoice: the due date may be extended without the
 * insurer's consent up to `maxExtensionDays`, and the notification and claim deadlines run from it.
 */
export function invoiceDeadlines(
  terms: InsuranceTerms,
  dueDate: BusinessDate,
  extendedDueDate: BusinessDate | null = null,
): InvoiceDeadlines {
  const latestAllowed = addDays(dueDate, terms.maxExtensionDays);
  const effectiveDueDate =
    extendedDueDate && extendedDueDate > dueDate
      ? extendedDueDate < latestAllowed
        ? extendedDueDate
        : latestAllowed
      : dueDate;
  return {
    effectiveDueDate,
    notifyBy: addDays(effectiveDueDate, terms.notificationDays),
    claimBy: addDays(effectiveDueDate, terms.claimFilingDays),
  };
}

export type DeadlineState = 'notify' | 'notified' | 'cover_lost';

/**
 * Where an overdue invoice stands with the insurer on `day`: notified in time, still to notify
 * (with the days left), or cover lost — the deadline passed without a notification.
 */
export function deadlineState(
  deadlines: InvoiceDeadlines,
  notifiedOn: BusinessDate | null,
  day: BusinessDate,
): { state: DeadlineState; daysLeft: number } {
  const daysLeft = daysBetween(day, deadlines.notifyBy);
  if (notifiedOn && notifiedOn <= day) {
    return { state: notifiedOn <= deadlines.notifyBy ? 'notified' : 'cover_lost', daysLeft };
  }
  return { state: daysLeft < 0 ? 'cover_lost' : 'notify', daysLeft };
}

/** Recoveries after a claim is paid are shared by the indemnity: the insurer's share first. */
export function shareRecovery(amountMinor: number, indemnity: number) {
  const insurerShareMinor = Math.round(amountMinor * indemnity);
  return { insurerShareMinor, insuredShareMinor: amountMinor - insurerShareMinor };
}
