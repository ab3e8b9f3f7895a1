import { describe, expect, it } from 'vitest';
import { DEFAULT_APPETITE, pdOfGrade } from '../../src/core/appetite/risk-appetite.js';
import type { Decision, Outcome } from '../../src/core/policy/types.js';
import { assumedPath, delayedPayments, invoicePath } from '../../src/core/simulation/exposure-path.js';
import { evaluate, paretoSet } from '../../src/core/simulation/frontier.js';
import { type ReplayPolicy, replayOrders } from '../../src/core/simulation/replay-book.js';
import { replayAppetiteBreaches, stressedGrades } from '../../src/core/simulation/stress.js';
import { type BusinessDate, toEpochDay } from '../../src/core/time/business-date.js';
import { replayOrder } from '../support/replay-order.js';

const order = replayOrder;

/** A policy that answers every order the same way, with its whole amount on credit when it approves. */
const always = (outcome: Outcome): ReplayPolicy => ({
  decide: (input) =>
    ({
      outcome,
      creditMinor: outcome === 'approve' ? input.orderMinor : 0,
      conditions: [],
      reasons: [],
      termsDays: 30,
      policyVersion: 0,
    }) as Decision,
  limitMinor: () => 1e12,
});

describe('what a replay measures', () => {
  it('values a sale refused in history at PD × LGD × credit, apart from realised loss', () => {
    const orders = [
      order({ lossMinor: 400 }),
      order({ day: 1, lossMinor: null, pd: 0.1, amountMinor: 2_000 }),
    ];
    const outcome = replayOrders(orders, always('approve'));
    expect(outcome.realisedLossMinor).toBe(400);
    expect(outcome.expectedLossMinor).toBe(Math.round(0.1 * 0.45 * 2_000));
    expect(outcome.lossMinor).toBe(400 + 90);
  });

  it('under stressed PDs each approved sale also carries the default beyond history', () => {
    const outcome = replayOrders([order({ lossMinor: 0, pd: 0.02 })], always('approve'), { pdScale: 3 });
    expect(outcome.expectedLossMinor).toBe(Math.round(0.02 * 2 * 0.45 * 1_000));
  });

  it('reports DSO, month-end exposure, the worst classes’ and the largest name’s shares', () => {
    const orders = [
      order({ customer: 0, openMinorDays: 60_000, firstMonthEnd: 10, openAtMonthEnds: [1_000, 1_000] }),
      order({
        customer: 1,
        day: 5,
        riskClass: 'E',
        openMinorDays: 20_000,
        firstMonthEnd: 11,
        openAtMonthEnds: [1_000],
      }),
    ];
    const outcome = replayOrders(orders, always('approve'));
    expect(outcome.dsoDays).toBe(40); // 80,000 minor-days over 2,000 sold
    expect(outcome.peakExposureMinor).toBe(2_000);
    expect(outcome.meanExposureMinor).toBe(1_500);
    expect(outcome.worstClassesShare).toBe(0.25);
    expect(outcome.singleNameShare).toBe(0.75);
  });

  it('counts held and escalated orders as sales lost and as queue work', () => {
    const orders = [order({}), order({ day: 13 })];
    const outcome = replayOrders(orders, always('escalate'));
    expect(outcome).toMatchObject({ approved: 0, lost: 2, queued: 2, queuedPerWeek: 1, dsoDays: null });
    expect(replayOrders(orders, always('decline'))).toMatchObject({ lost: 2, queued: 0 });
  });

  it('names the customers a policy refuses, with what each lost', () => {
    const policy: ReplayPolicy = {
      ...always('approve'),
      decide: (i) => always(i.orderMinor > 1_500 ? 'decline' : 'approve').decide(i),
    };
    const { customers } = replayOrders(
      [order({ customer: 3, amountMinor: 2_000 }), order({ customer: 4 })],
      policy,
      { byCustomer: true },
    );
    expect(customers).toEqual([
      { customer: 3, salesMinor: 0, lostMinor: 2_000 },
      { customer: 4, salesMinor: 1_000, lostMinor: 0 },
    ]);
  });
});

describe('a sale’s path on the book', () => {
  const day = (d: string) => toEpochDay(d as BusinessDate);
  const invoice = {
    issueDay: day('2026-01-10'),
    dueDay: day('2026-02-09'),
    amountMinor: 1_000,
    reductions: [
      { day: day('2026-02-10'), amountMinor: 400, kind: 'payment' as const },
      { day: day('2026-03-12'), amountMinor: 600, kind: 'payment' as const },
    ],
  };

  it('integrates the open amount over days and reads it at each month-end until paid', () => {
    const path = invoicePath(invoice, day('2026-06-30'));
    expect(path.openMinorDays).toBe(1_000 * 31 + 600 * 30);
    expect(path.openAtMonthEnds).toEqual([1_000, 600]); // January and February; paid in March
  });

  it('a payment delay keeps it open longer; an assumed path is open in full for its days', () => {
    expect(invoicePath(delayedPayments(invoice, 10), day('2026-06-30')).openMinorDays).toBe(
      1_000 * 41 + 600 * 30,
    );
    expect(assumedPath(500, day('2026-01-01'), 45, day('2026-06-30')).openMinorDays).toBe(500 * 45);
  });
});

describe('the efficient set and the appetite', () => {
  const p = (salesMinor: number, lossMinor: number, dsoDays: number) => ({
    ...evaluate([], { family: 'static', multiple: 1, overdueTolerance: 0, newCustomerLimitMinor: 0 }),
    salesMinor,
    lossMinor,
    dsoDays,
  });

  it('keeps the points no other matches on sales, loss and DSO at once', () => {
    const points = [p(10, 1, 50), p(10, 1, 40), p(20, 5, 70), p(20, 5, 60), p(15, 6, 30), p(5, 7, 80)];
    expect(paretoSet(points).map((x) => [x.salesMinor, x.lossMinor, x.dsoDays])).toEqual([
      [10, 1, 40],
      [20, 5, 60],
      [15, 6, 30],
    ]);
  });

  it('marks a policy outside the appetite by the measures it breaches', () => {
    const inside = { ...p(100, 1, 30), annualLossRate: 0.01, worstClassesShare: 0.1, singleNameShare: 0.05 };
    expect(replayAppetiteBreaches(inside, DEFAULT_APPETITE)).toEqual([]);
    expect(
      replayAppetiteBreaches(
        { ...inside, annualLossRate: 0.05, dsoDays: 75, singleNameShare: 0.3 },
        DEFAULT_APPETITE,
      ),
    ).toEqual(['maxExpectedLossRate', 'maxSingleNameShare', 'targetDsoDays']);
  });

  it('stressed PDs move rated customers down the master scale', () => {
    const [stressed, unrated] = stressedGrades(
      [order({ grade: 4, riskClass: 'B' }), order({ grade: null })],
      4,
    );
    expect(pdOfGrade(4) * 4).toBeGreaterThan(0.02);
    expect(stressed).toMatchObject({ grade: 6, riskClass: 'C' });
    expect(unrated).toMatchObject({ grade: null });
  });
});
