import type { CheckInput } from '../../src/core/policy/types.js';

/** An established class-B customer, rated 4, half its limit used: an order the default policy approves. */
export const SOUND_ORDER: CheckInput = {
  orderMinor: 100_000,
  customerAgeDays: 400,
  riskClass: 'B',
  ratingGrade: 4,
  blacklisted: false,
  stopSupply: false,
  limitMinor: 1_000_000,
  exposureMinor: 500_000,
  overdueMinor: 0,
  overdueMinorDays: 0,
  groupLimitMinor: null,
  groupExposureMinor: null,
  fxRateMissing: false,
};
