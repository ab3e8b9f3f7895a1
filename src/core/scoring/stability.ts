import { binCount, binOf } from './binning.js';
import { psi } from './metrics.js';
import type { Applicant, ScorecardModel } from './scorecard.js';

export interface FeatureStability {
  readonly feature: string;
  /** < 0.1 stable, 0.1–0.25 moving, > 0.25 shifted: the model's bins no longer describe the population. */
  readonly psi: number;
}

/**
 * PSI of each scorecard feature between a reference sample (the training rows) and a later one,
 * on the feature's own bins — which feature moved when the score's PSI says the population did.
 */
export function featureStability(
  model: ScorecardModel,
  reference: readonly Applicant[],
  later: readonly Applicant[],
): FeatureStability[] {
  return model.features.map((feature) => {
    const shares = (sample: readonly Applicant[]) => {
      const counts = new Array<number>(binCount(feature.binning)).fill(0);
      for (const row of sample) {
        const bin = binOf(feature.binning, row[feature.name] ?? null);
        counts[bin] = (counts[bin] as number) + 1;
      }
      return counts.map((c) => c / Math.max(sample.length, 1));
    };
    return { feature: feature.name, psi: psi(shares(reference), shares(later)) };
  });
}
