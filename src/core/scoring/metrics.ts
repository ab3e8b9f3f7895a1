import { invariant } from '../errors.js';

/** Outcomes are 1 = bad (the event), 0 = good; scores are probabilities of bad (higher = riskier). */
function checkInputs(scores: readonly number[], outcomes: readonly number[]): void {
  invariant(scores.length === outcomes.length, 'scores and outcomes differ in length');
  invariant(
    outcomes.every((y) => y === 0 || y === 1),
    'outcomes must be 0 or 1',
  );
}

/** Indices sorted by score ascending. */
function order(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
}

/** AUC: the probability a random bad scores riskier than a random good; ties count ½ (Mann–Whitney). */
export function auc(scores: readonly number[], outcomes: readonly number[]): number {
  checkInputs(scores, outcomes);
  const idx = order(scores);
  let rankSumBad = 0;
  let bads = 0;
  for (let start = 0; start < idx.length; ) {
    let end = start;
    while (end + 1 < idx.length && scores[idx[end + 1] as number] === scores[idx[start] as number]) end += 1;
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (outcomes[idx[k] as number] === 1) {
        rankSumBad += midRank;
        bads += 1;
      }
    }
    start = end + 1;
  }
  const goods = outcomes.length - bads;
  if (bads === 0 || goods === 0) return Number.NaN;
  return (rankSumBad - (bads * (bads + 1)) / 2) / (bads * goods);
}

export const gini = (aucValue: number) => 2 * aucValue - 1;

/** KS: the largest gap between the cumulative shares of bads and goods over all thresholds. */
export function ks(scores: readonly number[], outcomes: readonly number[]): number {
  checkInputs(scores, outcomes);
  const idx = order(scores);
  const bads = outcomes.reduce((s, y) => s + y, 0);
  const goods = outcomes.length - bads;
  if (bads === 0 || goods === 0) return Number.NaN;
  let cumBad = 0;
  let cumGood = 0;
  let best = 0;
  for (let k = 0; k < idx.length; ) {
    const score = scores[idx[k] as number];
    // Move past every tie at once: a threshold cannot split equal scores.
    while (k < idx.length && scores[idx[k] as number] === score) {
      if (outcomes[idx[k] as number] === 1) cumBad += 1;
      else cumGood += 1;
      k += 1;
    }
    best = Math.max(best, Math.abs(cumBad / bads - cumGood / goods));
  }
  return best;
}

/** Brier score: mean squared difference between predicted PD and outcome. */
export function brier(scores: readonly number[], outcomes: readonly number[]): number {
  checkInputs(scores, outcomes);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += ((scores[i] as number) - (outcomes[i] as number)) ** 2;
  return sum / scores.length;
}

/** PSI between expected and actual shares of the same bins: Σ (A − E) · ln(A ÷ E); empty shares floored at 0.0001. */
export function psi(expectedShares: readonly number[], actualShares: readonly number[]): number {
  invariant(expectedShares.length === actualShares.length, 'bins differ');
  let sum = 0;
  for (let i = 0; i < expectedShares.length; i++) {
    const e = Math.max(expectedShares[i] as number, 1e-4);
    const a = Math.max(actualShares[i] as number, 1e-4);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/**
 * Calibration table: the scores cut into `bins` groups of equal size (by predicted PD), each with
 * its mean predicted PD and its observed bad rate — a calibrated model has them close.
 */
export function calibrationTable(scores: readonly number[], outcomes: readonly number[], bins = 10) {
  checkInputs(scores, outcomes);
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  const size = Math.ceil(order.length / bins);
  const rows = [];
  for (let start = 0; start < order.length; start += size) {
    const group = order.slice(start, start + size);
    const mean = (xs: readonly number[]) => group.reduce((s, i) => s + (xs[i] as number), 0) / group.length;
    rows.push({
      count: group.length,
      pdFrom: scores[group[0] as number] as number,
      pdTo: scores[group.at(-1) as number] as number,
      meanPd: mean(scores),
      observedRate: mean(outcomes),
    });
  }
  return rows;
}

/** PSI of a score between a reference sample and a later one, on the reference's deciles. */
export function scorePsi(reference: readonly number[], later: readonly number[], bins = 10): number {
  invariant(reference.length > 0 && later.length > 0, 'two non-empty samples');
  const sorted = [...reference].sort((a, b) => a - b);
  const cuts = Array.from(
    { length: bins - 1 },
    (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / bins)] as number,
  );
  const shares = (sample: readonly number[]) => {
    const counts = new Array<number>(bins).fill(0);
    for (const x of sample) {
      let b = cuts.findIndex((c) => x < c);
      if (b === -1) b = bins - 1;
      counts[b] = (counts[b] as number) + 1;
    }
    return counts.map((c) => c / sample.length);
  };
  return psi(shares(reference), shares(later));
}
