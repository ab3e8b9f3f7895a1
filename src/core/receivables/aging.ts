import { addDays, type BusinessDate } from '../time/business-date.js';

export const AGING_BUCKETS = [
  'currentMinor',
  'd1to30Minor',
  'd31to60Minor',
  'd61to90Minor',
  'over90Minor',
] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type AgingBuckets = Record<AgingBucket, number>;

export function emptyBuckets(): AgingBuckets {
  return { currentMinor: 0, d1to30Minor: 0, d31to60Minor: 0, d61to90Minor: 0, over90Minor: 0 };
}

/** The bucket of an item by days past due (as-of date − due date): current ≤ 0, then 1–30 … over 90. */
export function bucketOf(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return 'currentMinor';
  if (daysPastDue <= 30) return 'd1to30Minor';
  if (daysPastDue <= 60) return 'd31to60Minor';
  if (daysPastDue <= 90) return 'd61to90Minor';
  return 'over90Minor';
}

/**
 * The same buckets as due-date boundaries for `asOf`, so a store can bucket with plain date
 * comparisons: an item is in the first bucket whose `dueOnOrAfter` its due date reaches.
 */
export function bucketBoundaries(
  asOf: BusinessDate,
): { bucket: AgingBucket; dueOnOrAfter: BusinessDate | null }[] {
  return [
    { bucket: 'currentMinor', dueOnOrAfter: asOf },
    { bucket: 'd1to30Minor', dueOnOrAfter: addDays(asOf, -30) },
    { bucket: 'd31to60Minor', dueOnOrAfter: addDays(asOf, -60) },
    { bucket: 'd61to90Minor', dueOnOrAfter: addDays(asOf, -90) },
    { bucket: 'over90Minor', dueOnOrAfter: null },
  ];
}
