import type { BusinessDate } from '../time/business-date.js';
import { deadlineState, invoiceDeadlines } from './deadlines.js';
import { type BuyerLimitDecision, buyerLimitOn, type InsuranceTerms } from './insurance-policy.js';

/** An open invoice of the buyer, in the policy's currency. */
export interface InsuredInvoice {
  readonly dueDate: BusinessDate;
  readonly openMinor: number;
  readonly notifiedOn: BusinessDate | null;
}

/**
 * What the insurer would pay on for a buyer on `day`: its open invoices whose cover is not lost,
 * up to the buyer's limit, less the deductible — and what of its open receivables is uninsured.
 */
export function buyerCover(
  terms: InsuranceTerms,
  decisions: readonly BuyerLimitDecision[],
  country: string,
  invoices: readonly InsuredInvoice[],
  day: BusinessDate,
) {
  const { limitMinor, source } = buyerLimitOn(terms, decisions, country, day);
  let openMinor = 0;
  let coverLostMinor = 0;
  for (const inv of invoices) {
    openMinor += inv.openMinor;
    if (
      inv.dueDate < day &&
      deadlineState(invoiceDeadlines(terms, inv.dueDate), inv.notifiedOn, day).state === 'cover_lost'
    )
      coverLostMinor += inv.openMinor;
  }
  const insurable = Math.min(limitMinor, openMinor - coverLostMinor);
  const coveredMinor = Math.max(0, insurable - terms.deductibleMinor);
  return {
    limitMinor,
    source,
    openMinor,
    coverLostMinor,
    coveredMinor,
    indemnity: terms.indemnity,
    /** What the insurer would pay if every covered invoice were lost. */
    indemnityMinor: Math.round(coveredMinor * terms.indemnity),
    uninsuredMinor: openMinor - Math.round(coveredMinor * terms.indemnity),
  };
}
