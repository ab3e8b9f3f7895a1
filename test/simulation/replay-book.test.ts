import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bestWithin,
  type EvaluateBatch,
  evaluate,
  evaluateHere,
  paretoFront,
  searchFrontier,
} from '../../src/core/simulation/frontier.js';
import { type BaselineParams, candidatePolicy } from '../../src/core/simulation/policy-families.js';
import { replayOrders } from '../../src/core/simulation/replay-book.js';
import { replayOrder } from '../support/replay-order.js';

const order = replayOrder;
const baseline = (over: Partial<BaselineParams> = {}): BaselineParams => ({
  family: 'static',
  multiple: 2,
  overdueTolerance: 0,
  newCustomerLimitMinor: 0,
  ...over,
});

describe('replaying a book under a policy', () => {
  it('a refused sale never becomes exposure: it weighs on no later check', () => {
    // Limit 2 × 1,000. The first sale of 3,000 is refused; the second (1,500) fits because the
    // first never happened — it would not, had the first been approved.
    const orders = [
      order({ amountMinor: 3_000, lossMinor: 3_000 }),
      order({ day: 1, amountMinor: 1_500, openBefore: [{ order: 0, openMinor: 3_000, daysPastDue: 0 }] }),
    ];
    const outcome = replayOrders(orders, candidatePolicy(baseline()).replay);
    expect(outcome).toMatchObject({
      salesMinor: 1_500,
      lossMinor: 0,
      approved: 1,
      lost: 1,
      lostMinor: 3_000,
    });
    // With a limit high enough for both, the second sees the first's exposure and loss is counted.
    const loose = replayOrders(orders, candidatePolicy(baseline({ multiple: 5 })).replay);
    expect(loose).toMatchObject({ salesMinor: 4_500, lossMinor: 3_000, approved: 2 });
  });

  it('the static baseline is what it says: a limit from past purchases and overdue, no rating, no warnings', () => {
    const policy = candidatePolicy(baseline({ multiple: 2 })).replay;
    const outcome = replayOrders(
      [order({ amountMinor: 1_500, grade: 10, riskClass: 'E', warning: 'critical' })],
      policy,
    );
    expect(outcome).toMatchObject({ approved: 1, lost: 0 });
  });

  it('overdue of an approved sale blocks the next at tolerance 0, and not at a looser one', () => {
    const orders = [
      order({}),
      order({ day: 60, openBefore: [{ order: 0, openMinor: 1_000, daysPastDue: 10 }] }),
    ];
    expect(replayOrders(orders, candidatePolicy(baseline({ multiple: 10 })).replay).approved).toBe(1);
    expect(
      replayOrders(orders, candidatePolicy(baseline({ multiple: 10, overdueTolerance: 50 })).replay).approved,
    ).toBe(2);
  });

  it('a sale with the excess prepaid carries loss only on its credit part', () => {
    const params = {
      family: 'fulcrum' as const,
      gradeCutoff: 10,
      multiples: { A: 1, B: 1, C: 1, D: 1, E: 1 },
      overdueWeights: { A: 1, B: 1, C: 1, D: 1, E: 1 },
      overdueTolerance: 0,
      prepayExcessPercent: 50,
      newCustomerLimitMinor: 0,
      declineOnWarning: 'never' as const,
    };
    // Limit 1,000; a sale of 1,400 is 40 % over: sold with 400 prepaid, 1,000 on credit.
    const outcome = replayOrders(
      [order({ amountMinor: 1_400, lossMinor: 1_400 })],
      candidatePolicy(params).replay,
    );
    expect(outcome).toMatchObject({ salesMinor: 1_400, lossMinor: 1_000, approved: 1, conditioned: 1 });
    const warned = replayOrders(
      [order({ amountMinor: 500, warning: 'high' })],
      candidatePolicy({ ...params, declineOnWarning: 'high' }).replay,
    );
    expect(warned).toMatchObject({ approved: 0, lost: 1 });
  });

  it('an approval never takes exposure past the limit in force (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amountMinor: fc.integer({ min: 1, max: 5_000 }),
            gap: fc.integer({ min: 0, max: 40 }),
          }),
          { maxLength: 30 },
        ),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        (sales, multiple) => {
          let day = 0;
          const orders = sales.map((s, i) => {
            day += s.gap;
            // Every earlier sale stays open: exposure only grows.
            return order({
              day,
              amountMinor: s.amountMinor,
              openBefore: sales
                .slice(0, i)
                .map((e, j) => ({ order: j, openMinor: e.amountMinor, daysPastDue: 0 })),
            });
          });
          const policy = candidatePolicy(baseline({ multiple })).replay;
          const outcome = replayOrders(orders, policy);
          // All sales open at once: what was approved fits in the limit (2 × … here multiple × 1,000).
          expect(outcome.salesMinor).toBeLessThanOrEqual(Math.round(multiple * 1_000));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the frontier', () => {
  const p = (salesMinor: number, lossMinor: number) => ({
    ...evaluate([], baseline()),
    salesMinor,
    lossMinor,
  });

  it('keeps the points nobody beats on both sales and loss, by rising loss', () => {
    const front = paretoFront([p(10, 1), p(8, 1), p(20, 5), p(15, 6), p(30, 9)]);
    expect(front.map((x) => [x.salesMinor, x.lossMinor])).toEqual([
      [10, 1],
      [20, 5],
      [30, 9],
    ]);
  });

  it('picks the most sales within a loss budget, the lower loss on a tie, and none when nothing fits', () => {
    const points = [p(10, 1), p(20, 5), p(20, 4), p(30, 9)];
    expect(bestWithin(points, 5)).toMatchObject({ salesMinor: 20, lossMinor: 4 });
    expect(bestWithin(points, 0)).toBeNull();
  });
});

describe('the seeded search', () => {
  const sales = Array.from({ length: 40 }, (_, i) =>
    order({
      day: i * 7,
      customer: i % 4,
      amountMinor: 500 + ((i * 37) % 900),
      lossMinor: i % 4 === 3 && i > 20 ? 500 : 0,
    }),
  );
  const options = { candidates: 40, seed: 7, lossBudgetMinor: 1_000, newCustomerScaleMinor: 700 };

  it('gives the same answer however its batches are evaluated (here, or out of order elsewhere)', async () => {
    const here = await searchFrontier(options, evaluateHere(sales));
    const reversed: EvaluateBatch = async (params) =>
      [...params]
        .reverse()
        .map((p) => evaluate(sales, p))
        .reverse();
    expect(await searchFrontier(options, reversed)).toEqual(here);
    expect(here.fulcrum).toHaveLength(40);
    expect(here.baseline.length).toBeGreaterThan(100);
  });
});

describe('the sweep on worker threads', () => {
  it('gives the candidates the same points as replaying them here', async () => {
    const { frontierPool } = await import('../../src/app/simulation/frontier-pool.js');
    const sales = Array.from({ length: 30 }, (_, i) =>
      order({ day: i * 5, customer: i % 3, amountMinor: 400 + i * 10, lossMinor: i % 7 === 0 ? 100 : 0 }),
    );
    const options = { candidates: 20, seed: 3, lossBudgetMinor: 200, newCustomerScaleMinor: 500 };
    const pool = frontierPool(sales, () => {}, 2);
    try {
      expect(await searchFrontier(options, pool.evaluate)).toEqual(
        await searchFrontier(options, evaluateHere(sales)),
      );
    } finally {
      await pool.close();
    }
  });
});
