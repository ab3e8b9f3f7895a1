import { addMonths, type BusinessDate, monthEnd } from '../time/business-date.js';
import type { CohortSource, CohortSpan } from './cohort-source.js';
import { type BucketRate, type ProvisionSettings, provisionMatrix } from './provision-matrix.js';
import { type RollRate, rollRateMatrix, rollRates } from './roll-rate.js';

/** Month-ends with receivables needed before the horizon is left as set. */
const MIN_COHORTS = 3;

export interface LearntMatrix {
  readonly matrix: BucketRate[];
  /** The month-ends whose losses were counted (each with a full horizon before `asOf`). */
  readonly monthEnds: BusinessDate[];
  /** The horizon the rates were learnt over: shorter than the setting on a young book. */
  readonly horizonMonthsUsed: number;
  /** The roll-rate method's migrations, and the month-ends they were measured over. */
  readonly rolls: RollRate[] | null;
  readonly rollMonthEnds: BusinessDate[] | null;
}

function cohorts(source: CohortSource, asOf: BusinessDate, settings: ProvisionSettings, horizon: number) {
  const spans: CohortSpan[] = [];
  for (let k = settings.lookbackMonths - 1; k >= 0; k--) {
    const m = monthEnd(addMonths(asOf, -horizon - k));
    const horizonEnd = monthEnd(addMonths(m, horizon));
    if (horizonEnd <= asOf) spans.push({ monthEnd: m, horizonEnd });
  }
  const totals = source.lossCohorts(spans, settings.lossDaysPastDue);
  // Latest first, as the run records them.
  return spans
    .map((c, i) => ({ ...c, totals: totals[i] ?? [] }))
    .filter((c) => c.totals.length > 0)
    .reverse();
}

/**
 * The loss rates as of `asOf` from the book's own history, nothing after `asOf` used. A young book
 * has few month-ends whose full horizon has passed: the horizon is shortened until three of them
 * held receivables (recorded). Null when no month-end held any.
 */
export function learnMatrix(
  source: CohortSource,
  asOf: BusinessDate,
  settings: ProvisionSettings,
): LearntMatrix | null {
  let horizon = settings.horizonMonths;
  let found = cohorts(source, asOf, settings, horizon);
  // Shortening never reaching three: the longest horizon that found the most month-ends stands.
  let best = { horizon, found };
  while (horizon > 1 && found.length < MIN_COHORTS) {
    horizon -= 1;
    found = cohorts(source, asOf, settings, horizon);
    if (found.length > best.found.length) best = { horizon, found };
  }
  if (found.length < MIN_COHORTS) ({ horizon, found } = best);
  if (found.length === 0) return null;
  const lossRates = provisionMatrix(found, (currency) => source.rateOf(currency), settings);
  const monthEnds = found.map((c) => c.monthEnd);
  if (settings.method === 'loss_rate')
    return { matrix: lossRates, monthEnds, horizonMonthsUsed: horizon, rolls: null, rollMonthEnds: null };
  const rollMonthEnds: BusinessDate[] = [];
  for (let k = settings.lookbackMonths; k >= 0; k--) {
    const m = monthEnd(addMonths(asOf, -k));
    if (m <= asOf) rollMonthEnds.push(m);
  }
  const rolls = rollRates(source, rollMonthEnds);
  const last = lossRates[lossRates.length - 1] as BucketRate;
  return {
    matrix: rollRateMatrix(rolls, last, settings),
    monthEnds,
    horizonMonthsUsed: horizon,
    rolls,
    rollMonthEnds,
  };
}
