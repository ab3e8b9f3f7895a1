import { DEFAULT_APPETITE } from '../appetite/risk-appetite.js';
import { DEFAULT_REVIEW_CYCLE_MONTHS } from '../reviews/review-cycle.js';
import { DEFAULT_AUTHORITY } from './authority.js';
import { DEFAULT_COMMITTEE } from './committee.js';
import type { CreditPolicyDocument } from './types.js';

/** The policy a new installation starts with: conservative, and every threshold visible. */
export const DEFAULT_POLICY: CreditPolicyDocument = {
  name: 'Default policy',
  blacklist: { outcome: 'decline' },
  stopSupply: { outcome: 'hold' },
  fxRateMissing: { outcome: 'hold' },
  newCustomer: { maxAgeDays: 90, maxOrderMinor: 20_000_000, outcome: 'escalate' },
  rating: {
    unratedOutcome: 'approve',
    // An unrated buyer whose first-contact screen was not clear (a blacklisted twin, court records)
    // or never ran, and whom nobody has reviewed since, is not sold to on credit without a person.
    unscreenedOutcome: 'escalate',
    bands: [
      { max: 6, outcome: 'approve' },
      { max: 8, outcome: 'escalate' },
      { max: null, outcome: 'decline' },
    ],
  },
  // A critical early-warning alert (e.g. 90+ days past due) sends the order to a person.
  warnings: { high: 'approve', critical: 'escalate' },
  appetite: DEFAULT_APPETITE,
  // A customer whose periodic review is past due is looked at again before it gets more credit.
  reviews: { cycleMonths: DEFAULT_REVIEW_CYCLE_MONTHS, overdueOutcome: 'escalate' },
  overdue: {
    riskWeights: { A: 0.5, B: 0.75, C: 1, D: 1.5, E: 2 },
    bands: [
      // 3 limit-days: a tenth of the limit a month late is tolerated; half the limit a month late is not.
      { max: 3, outcome: 'approve' },
      { max: 15, outcome: 'escalate' },
      { max: null, outcome: 'hold' },
    ],
  },
  availableCredit: {
    bands: [
      { max: 10, outcome: 'approve_with_conditions', condition: 'prepay_excess' },
      { max: 25, outcome: 'escalate' },
      { max: null, outcome: 'hold' },
    ],
  },
  terms: { A: 90, B: 60, C: 45, D: 30, E: 0 },
  authority: DEFAULT_AUTHORITY,
  committee: DEFAULT_COMMITTEE,
};
