import { describe, expect, it } from 'vitest';
import { binOf, fitBinning, woeTable } from '../../src/core/scoring/binning.js';
import { fitLogistic, fitLogisticColumns, predictLogistic } from '../../src/core/scoring/logistic.js';
import { auc, brier, gini, ks, psi } from '../../src/core/scoring/metrics.js';
import { fitScorecard, reasonCodes, scorecardPd, scorecardPoints } from '../../src/core/scoring/scorecard.js';
import { featureStability } from '../../src/core/scoring/stability.js';

describe('model metrics against hand-computed cases', () => {
  // Scores (PD) and outcomes (1 = bad). Bads: 0.9, 0.6, 0.35; goods: 0.7, 0.4, 0.35, 0.1.
  const scores = [0.9, 0.7, 0.6, 0.4, 0.35, 0.35, 0.1];
  const outcomes = [1, 0, 1, 0, 1, 0, 0];

  it('AUC counts bad-above-good pairs, ties as a half', () => {
    // 12 pairs: bad 0.9 beats 4; bad 0.6 beats 3 (0.4, 0.35, 0.1); bad 0.35 beats 1 (0.1) and ties 1 → 8.5 / 12.
    expect(auc(scores, outcomes)).toBeCloseTo(8.5 / 12, 12);
    expect(gini(auc(scores, outcomes))).toBeCloseTo(2 * (8.5 / 12) - 1, 12);
    expect(auc([0.1, 0.2], [0, 1])).toBe(1);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
  });

  it('KS is the largest gap of cumulative bad and good shares', () => {
    // Ascending thresholds: 0.1 → goods 1/4, bads 0; 0.35 → 2/4, 1/3; 0.4 → 3/4, 1/3 (gap 5/12); 0.6 → 3/4, 2/3; …
    expect(ks(scores, outcomes)).toBeCloseTo(5 / 12, 12);
  });

  it('Brier is the mean squared error of the PDs', () => {
    expect(brier([0.8, 0.2], [1, 0])).toBeCloseTo(0.04, 12);
  });

  it('PSI is Σ (A − E) ln(A ÷ E)', () => {
    expect(psi([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(psi([0.4, 0.6], [0.5, 0.5])).toBeCloseTo(
      0.1 * Math.log(0.5 / 0.4) - 0.1 * Math.log(0.5 / 0.6),
      12,
    );
  });
});

describe('weight of evidence', () => {
  it('is ln(share of goods ÷ share of bads) with +0.5 smoothing, and IV sums the bins', () => {
    // Bin 0: 3 goods, 1 bad; bin 1: 1 good, 3 bads; 2 empty bins (numeric missing bin etc.).
    const table = woeTable([0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 0, 1, 1, 1], 3);
    const totalGood = 4 + 1.5;
    const totalBad = 4 + 1.5;
    const w0 = Math.log(3.5 / totalGood / (1.5 / totalBad));
    const w1 = Math.log(1.5 / totalGood / (3.5 / totalBad));
    expect(table.woe[0]).toBeCloseTo(w0, 12);
    expect(table.woe[1]).toBeCloseTo(w1, 12);
    expect(table.woe[2]).toBe(0);
    expect(table.iv).toBeCloseTo(((3.5 - 1.5) / 5.5) * w0 + ((1.5 - 3.5) / 5.5) * w1, 12);
  });

  it('bins numbers by quantiles with missing values apart, and pools rare categories', () => {
    const numeric = fitBinning(
      { name: 'x', kind: 'numeric', values: [...Array.from({ length: 100 }, (_, i) => i), null] },
      { maxBins: 4, minBinShare: 0.05, minLevelShare: 0.01 },
    );
    expect(numeric).toEqual({ type: 'numeric', cuts: [25, 50, 75] });
    expect([0, 25, 26, 99, 1e12, null].map((v) => binOf(numeric, v))).toEqual([0, 0, 1, 3, 3, 4]);
    const skewed = fitBinning(
      { name: 'n', kind: 'numeric', values: [...new Array(95).fill(0), 1, 2, 3, 4, 5] },
      { maxBins: 10, minBinShare: 0.05, minLevelShare: 0.01 },
    );
    // 95% zeros: a count-like column gets the bins its values allow — zero, and more than zero.
    expect(skewed.type === 'numeric' && skewed.cuts).toEqual([0]);
    const categorical = fitBinning(
      {
        name: 'c',
        kind: 'categorical',
        values: [...new Array(60).fill('A'), ...new Array(39).fill('B'), 'rare'],
      },
      { maxBins: 10, minBinShare: 0.05, minLevelShare: 0.02 },
    );
    expect(categorical).toEqual({ type: 'categorical', levels: ['A', 'B'] });
    expect(['A', 'B', 'rare', 'unseen', null].map((v) => binOf(categorical, v))).toEqual([0, 1, 2, 2, 3]);
  });
});

describe('logistic regression', () => {
  it('with the least penalty (MIN_L2: a penalty is always on), recovers the closed form for one binary feature: the log-odds', () => {
    // x = 0: 20 bads of 100; x = 1: 60 bads of 100.
    const rows: number[][] = [];
    const outcomes: number[] = [];
    for (const [x, bads] of [
      [0, 20],
      [1, 60],
    ] as const) {
      for (let i = 0; i < 100; i++) {
        rows.push([x]);
        outcomes.push(i < bads ? 1 : 0);
      }
    }
    const fit = fitLogistic(rows, outcomes, { l2: 0 });
    expect(fit.intercept).toBeCloseTo(Math.log(0.2 / 0.8), 6);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(0.6 / 0.4) - Math.log(0.2 / 0.8), 6);
    expect(predictLogistic(fit, [1])).toBeCloseTo(0.6, 6);
  });

  it('an L2 penalty shrinks the slope towards zero', () => {
    const rows = [[0], [0], [1], [1]];
    const outcomes = [0, 1, 1, 1];
    const free = fitLogistic(rows, outcomes, { l2: 1e-9, maxIterations: 100 });
    const shrunk = fitLogistic(rows, outcomes, { l2: 10 });
    expect(Math.abs(shrunk.coefficients[0] as number)).toBeLessThan(Math.abs(free.coefficients[0] as number));
  });

  it('fits the same model from rows as from columns, and refuses rows of different lengths', () => {
    const rows = [
      [0.2, 1],
      [0.9, 0],
      [0.4, 1],
      [0.7, 1],
      [0.1, 0],
      [0.8, 0],
    ];
    const outcomes = [0, 1, 0, 1, 0, 1];
    const columns = [
      Float64Array.from(rows, (r) => r[0] as number),
      Float64Array.from(rows, (r) => r[1] as number),
    ];
    expect(fitLogisticColumns(columns, outcomes)).toEqual(fitLogistic(rows, outcomes));
    expect(() => fitLogistic([[1, 2], [3]], [0, 1])).toThrow(/same number of values/);
    expect(() => fitLogistic([[1], [2]], [0, 1, 1])).toThrow(/one outcome per row/);
  });
});

describe('scorecard', () => {
  // A synthetic book: late payers have high utilisation and a bad history code.
  const n = 2_000;
  const utilisation: number[] = [];
  const history: string[] = [];
  const noise: number[] = [];
  const outcomes: number[] = [];
  let seed = 7;
  const rand = () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  for (let i = 0; i < n; i++) {
    const u = rand();
    const h = rand() < 0.3 ? 'late_before' : 'clean';
    const pd = 0.05 + 0.5 * u * u + (h === 'late_before' ? 0.2 : 0);
    utilisation.push(u);
    history.push(h);
    noise.push(rand());
    outcomes.push(rand() < pd ? 1 : 0);
  }
  const model = fitScorecard(
    [
      { name: 'utilisation', kind: 'numeric', values: utilisation },
      { name: 'history', kind: 'categorical', values: history },
      { name: 'noise', kind: 'numeric', values: noise },
    ],
    outcomes,
    'bad',
  );

  it('weighs the same column values by the outcomes it is fitted on (a binning kept for reuse is keyed by both)', () => {
    const columns = [
      { name: 'utilisation', kind: 'numeric' as const, values: utilisation },
      { name: 'history', kind: 'categorical' as const, values: history },
    ];
    const reversed = outcomes.map((y) => 1 - y);
    const again = fitScorecard(columns, outcomes, 'bad');
    const flipped = fitScorecard(columns, reversed, 'bad');
    const woeOf = (m: typeof model, name: string) => m.features.find((f) => f.name === name)?.woe ?? [];
    expect(woeOf(again, 'utilisation')).toEqual(woeOf(model, 'utilisation'));
    // Goods and bads swap: every bin's weight of evidence changes sign.
    woeOf(flipped, 'utilisation').forEach((w, b) => {
      expect(w).toBeCloseTo(-(woeOf(model, 'utilisation')[b] as number), 9);
    });
  });

  it('keeps the informative features, drops the noise, and ranks risk', () => {
    expect(model.features.map((f) => f.name).sort()).toEqual(['history', 'utilisation']);
    expect(model.training.dropped[0]).toMatchObject({ name: 'noise' });
    const pds = utilisation.map((u, i) =>
      scorecardPd(model, { utilisation: u, history: history[i] as string }),
    );
    expect(auc(pds, outcomes)).toBeGreaterThan(0.7);
  });

  it('scales points (600 at 20:1, 50 to double the odds) that add up to the score, with reason codes', () => {
    const applicant = { utilisation: 0.95, history: 'late_before' };
    const { score, points } = scorecardPoints(model, applicant);
    expect(points.reduce((s, p) => s + p.points, 0)).toBeCloseTo(score, 9);
    const pd = scorecardPd(model, applicant);
    expect(score).toBeCloseTo(
      600 - (50 / Math.LN2) * Math.log(20) + (50 / Math.LN2) * Math.log((1 - pd) / pd),
      6,
    );
    expect(
      reasonCodes(model, applicant)
        .map((r) => r.feature)
        .sort(),
    ).toEqual(['history', 'utilisation']);
    expect(reasonCodes(model, { utilisation: 0.01, history: 'clean' }).map((r) => r.feature)).not.toContain(
      'history',
    );
  });
  it('measures the stability of each feature on its own bins: a feature that did not move has PSI 0', () => {
    const reference = utilisation.map((u, i) => ({ utilisation: u, history: history[i] as string }));
    // Later: the same utilisation, but every customer now with late history.
    const later = reference.map((r) => ({ ...r, history: 'late_before' }));
    const stability = featureStability(model, reference, later);
    expect(stability.find((f) => f.feature === 'utilisation')?.psi).toBe(0);
    const binning = model.features.find((f) => f.name === 'history')?.binning;
    if (binning?.type !== 'categorical') throw new Error('history is categorical');
    const lateShare = history.filter((h) => h === 'late_before').length / history.length;
    const shares = (late: number) =>
      Array.from({ length: binning.levels.length + 2 }, (_, bin) =>
        bin === binning.levels.indexOf('late_before')
          ? late
          : bin === binning.levels.indexOf('clean')
            ? 1 - late
            : 0,
      );
    expect(stability.find((f) => f.feature === 'history')?.psi).toBeCloseTo(
      psi(shares(lateShare), shares(1)),
      12,
    );
  });
});
