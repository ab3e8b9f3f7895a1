import { AGING_BUCKETS, type AgingBucket, bucketOf } from '../receivables/aging.js';
import { type BusinessDate, daysBetween } from '../time/business-date.js';
import { type CohortItem, lossOf } from './provision-matrix.js';
import {
  firstOnOrAfter,
  ownOpenOn,
  ownWrittenOffBetween,
  type ReceivableHistory,
} from './receivable-history.js';

/** A past month-end and the end of the horizon its losses are counted over. */
export interface CohortSpan {
  readonly monthEnd: BusinessDate;
  readonly horizonEnd: BusinessDate;
}

/**
 * One month-end's receivables in one currency and aging bucket, and what of them was lost within
 * the horizon — in that currency, so a total kept once converts at any later run's rate.
 */
export interface CohortTotal {
  readonly currency: string;
  readonly bucket: AgingBucket;
  readonly balanceMinor: number;
  readonly lossMinor: number;
}

/** Of one bucket's balance in one currency at a month-end, what sat in a later bucket at the next. */
export interface RollTotal {
  readonly currency: string;
  readonly from: AgingBucket;
  readonly balanceMinor: number;
  readonly rolledMinor: number;
}

/**
 * Where the matrix's month-end figures come from: the invoices' histories, or the totals kept as
 * the months closed. Both give the same figures for the same book.
 */
export interface CohortSource {
  /** Each span's totals, spans in ascending order (an empty list: nothing was open then). */
  lossCohorts(spans: readonly CohortSpan[], lossDaysPastDue: number): CohortTotal[][];
  /** For each pair of consecutive month-ends (ascending), the roll totals: one fewer than given. */
  rollCohorts(monthEnds: readonly BusinessDate[]): RollTotal[][];
  /** Minor units of the report currency per minor unit of `currency`. */
  rateOf(currency: string): number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const rank = (bucket: AgingBucket) => AGING_BUCKETS.indexOf(bucket);
const LAST = AGING_BUCKETS.length - 1;

function assertAscending(days: readonly BusinessDate[]) {
  for (let i = 1; i < days.length; i++)
    if ((days[i - 1] as BusinessDate) >= (days[i] as BusinessDate))
      throw new Error(`month-ends must ascend: ${days[i - 1]} before ${days[i]}`);
}

/** Items of one month-end summed by currency and aging bucket, each item's loss as the default definition says. */
export function cohortTotals(
  items: readonly (CohortItem & { currency: string })[],
  span: CohortSpan,
  lossDaysPastDue: number,
): CohortTotal[] {
  const totals = new Map<string, Mutable<CohortTotal>>();
  for (const item of items) {
    if (item.openMinor <= 0) continue;
    const bucket = bucketOf(daysBetween(item.dueDate, span.monthEnd));
    const key = `${item.currency} ${bucket}`;
    const total = totals.get(key) ?? { currency: item.currency, bucket, balanceMinor: 0, lossMinor: 0 };
    total.balanceMinor += item.openMinor;
    total.lossMinor += lossOf(item, span.horizonEnd, { lossDaysPastDue });
    totals.set(key, total);
  }
  return [...totals.values()];
}

/** The month-end figures from the invoices' histories: one pass, each invoice looked at only while open. */
export function historySource(histories: readonly ReceivableHistory[]): CohortSource {
  const rates = new Map<string, number>();
  for (const h of histories) if (!rates.has(h.currency)) rates.set(h.currency, h.rate);
  return {
    lossCohorts(spans, lossDaysPastDue) {
      const days = spans.map((s) => s.monthEnd);
      assertAscending(days);
      const items: (CohortItem & { currency: string })[][] = spans.map(() => []);
      for (const h of histories)
        for (let i = firstOnOrAfter(days, h.issueDate); i < days.length; i++) {
          const { monthEnd, horizonEnd } = spans[i] as CohortSpan;
          if (h.settledOn !== null && h.settledOn <= monthEnd) break;
          const openMinor = ownOpenOn(h, monthEnd);
          if (openMinor <= 0) continue;
          (items[i] as (CohortItem & { currency: string })[]).push({
            currency: h.currency,
            dueDate: h.dueDate,
            openMinor,
            writtenOffMinor: ownWrittenOffBetween(h, monthEnd, horizonEnd),
            openAtHorizonMinor: ownOpenOn(h, horizonEnd),
          });
        }
      return spans.map((span, i) => cohortTotals(items[i] ?? [], span, lossDaysPastDue));
    },
    rollCohorts(monthEnds) {
      assertAscending(monthEnds);
      const pairs = monthEnds.slice(1).map(() => new Map<string, Mutable<RollTotal>>());
      for (const h of histories)
        for (let k = firstOnOrAfter(monthEnds, h.issueDate); k + 1 < monthEnds.length; k++) {
          const m = monthEnds[k] as BusinessDate;
          if (h.settledOn !== null && h.settledOn <= m) break;
          const open = ownOpenOn(h, m);
          if (open <= 0) continue;
          const from = bucketOf(daysBetween(h.dueDate, m));
          if (rank(from) === LAST) continue;
          const next = monthEnds[k + 1] as BusinessDate;
          const openNext = ownOpenOn(h, next);
          const rolled =
            openNext > 0 && rank(bucketOf(daysBetween(h.dueDate, next))) > rank(from)
              ? Math.min(open, openNext)
              : 0;
          const pair = pairs[k] as Map<string, Mutable<RollTotal>>;
          const key = `${h.currency} ${from}`;
          const total = pair.get(key) ?? { currency: h.currency, from, balanceMinor: 0, rolledMinor: 0 };
          total.balanceMinor += open;
          total.rolledMinor += rolled;
          pair.set(key, total);
        }
      return pairs.map((pair) => [...pair.values()]);
    },
    rateOf: (currency) => rates.get(currency) ?? 1,
  };
}

/**
 * Two amounts summed per key (a bucket) over many totals: each currency summed in its own units
 * first, then converted once at `rateOf` — kept totals convert at whichever run reads them.
 */
export function sumInReport<K>(
  rows: Iterable<{ currency: string; key: K; first: number; second: number }>,
  rateOf: (currency: string) => number,
): Map<K, [number, number]> {
  const own = new Map<string, Map<K, [number, number]>>();
  for (const { currency, key, first, second } of rows) {
    const byKey = own.get(currency) ?? new Map<K, [number, number]>();
    const sum = byKey.get(key) ?? [0, 0];
    sum[0] += first;
    sum[1] += second;
    byKey.set(key, sum);
    own.set(currency, byKey);
  }
  const out = new Map<K, [number, number]>();
  for (const [currency, byKey] of own) {
    const rate = rateOf(currency);
    const convert = (minor: number) => (rate === 1 ? minor : Math.round(minor * rate));
    for (const [key, [first, second]] of byKey) {
      const sum = out.get(key) ?? [0, 0];
      sum[0] += convert(first);
      sum[1] += convert(second);
      out.set(key, sum);
    }
  }
  return out;
}
