import { pdOfGrade, type RiskAppetite } from '../appetite/risk-appetite.js';
import { gradeOf } from '../rating/master-scale.js';
import type { ReplayOrder, ReplayOutcome } from './replay-book.js';

/**
 * The sales as a stressed world would grade them: each rated customer's PD × `pdScale`, and the
 * grade and risk class that PD falls in on the master scale (the check then sees the worse grade).
 */
export function stressedGrades(orders: readonly ReplayOrder[], pdScale: number): ReplayOrder[] {
  if (pdScale === 1) return [...orders];
  return orders.map((o) => {
    if (o.grade === null) return o;
    const { grade, riskClass } = gradeOf(Math.min(1, pdOfGrade(o.grade) * pdScale));
    return { ...o, grade, riskClass };
  });
}

/** The appetite measures a replay can judge a policy on, and those its outcome breaches. */
export function replayAppetiteBreaches(
  outcome: ReplayOutcome,
  appetite: RiskAppetite,
): (keyof RiskAppetite)[] {
  const over = (value: number | null, limit: number) => value !== null && value > limit;
  const breaches: (keyof RiskAppetite)[] = [];
  if (over(outcome.annualLossRate, appetite.maxExpectedLossRate)) breaches.push('maxExpectedLossRate');
  if (over(outcome.worstClassesShare, appetite.maxWorstClassesShare)) breaches.push('maxWorstClassesShare');
  if (over(outcome.singleNameShare, appetite.maxSingleNameShare)) breaches.push('maxSingleNameShare');
  if (over(outcome.dsoDays, appetite.targetDsoDays)) breaches.push('targetDsoDays');
  return breaches;
}
