import { invariant } from '../errors.js';
import { predictLogistic } from './logistic.js';

/** A logistic model's linear part: what recalibration shifts. */
export interface LinearScore {
  readonly intercept: number;
  readonly coefficients: number[];
}

export interface Recalibration {
  readonly rows: number;
  readonly observedRate: number;
  readonly meanPdBefore: number;
  /** Added to the intercept (log-odds); 0 when the gap is within sampling noise. */
  readonly interceptShift: number;
}

/** How many standard errors of the observed rate the mean PD may stray before it is corrected. */
const NOISE_BANDS = 2;

/**
 * Calibration in the large: the intercept shift that makes the mean predicted PD of recent rows
 * equal the rate observed on them (Newton's method on one unknown: the mean PD rises strictly with
 * the shift). Applied only when the gap exceeds NOISE_BANDS binomial standard errors — a model is
 * not moved by noise — and never towards a rate of 0 or 1, which no shift reaches.
 */
export function recalibrationShift(
  model: LinearScore,
  recent: readonly (readonly number[])[],
  outcomes: readonly number[],
): Recalibration {
  invariant(recent.length === outcomes.length && recent.length > 0, 'recent rows with their outcomes');
  const n = recent.length;
  const observedRate = outcomes.reduce((s, y) => s + y, 0) / n;
  const base = recent.map((x) => predictLogistic(model, x));
  const meanPdBefore = base.reduce((s, p) => s + p, 0) / n;
  const standardError = Math.sqrt((observedRate * (1 - observedRate)) / n);
  const result = { rows: n, observedRate, meanPdBefore };
  if (
    observedRate === 0 ||
    observedRate === 1 ||
    Math.abs(meanPdBefore - observedRate) <= NOISE_BANDS * standardError
  )
    return { ...result, interceptShift: 0 };
  const logits = base.map((p) => Math.log(p / (1 - p)));
  let shift = 0;
  for (let step = 0; step < 50; step++) {
    let mean = 0;
    let slope = 0;
    for (const z of logits) {
      const p = 1 / (1 + Math.exp(-(z + shift)));
      mean += p / n;
      slope += (p * (1 - p)) / n;
    }
    const delta = (mean - observedRate) / slope;
    shift -= delta;
    if (Math.abs(delta) < 1e-12) break;
  }
  return { ...result, interceptShift: shift };
}
