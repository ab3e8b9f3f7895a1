import type { ReplayOrder } from '../../src/core/simulation/replay-book.js';

/** A sale to replay: an established class-C customer's 1,000 on day 0, open a month, lost nothing. */
export const replayOrder = (over: Partial<ReplayOrder> = {}): ReplayOrder => ({
  customer: 0,
  day: 0,
  amountMinor: 1_000,
  lossMinor: 0,
  pd: 0.03,
  openMinorDays: 30_000,
  firstMonthEnd: 0,
  openAtMonthEnds: [1_000],
  grade: null,
  regime: null,
  warning: null,
  riskClass: 'C',
  ageDays: 365,
  monthlyPurchasesMinor: 1_000,
  openBefore: [],
  ...over,
});
