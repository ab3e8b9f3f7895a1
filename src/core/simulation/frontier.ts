import {
  baselineGrid,
  candidatePolicy,
  type FamilyParams,
  type FulcrumParams,
  perturbFulcrum,
  randomFulcrum,
  seededUniform,
} from './policy-families.js';
import { type ReplayOrder, type ReplayOutcome, replayOrders } from './replay-book.js';

export interface FrontierPoint<P extends FamilyParams = FamilyParams> extends ReplayOutcome {
  readonly params: P;
}

/** The points no other beats on both sales (more) and loss (less), by rising loss. */
export function paretoFront<P extends FamilyParams>(points: readonly FrontierPoint<P>[]): FrontierPoint<P>[] {
  const sorted = [...points].sort((a, b) => a.lossMinor - b.lossMinor || b.salesMinor - a.salesMinor);
  const front: FrontierPoint<P>[] = [];
  for (const p of sorted)
    if (front.length === 0 || p.salesMinor > (front.at(-1) as FrontierPoint<P>).salesMinor) front.push(p);
  return front;
}

/**
 * The efficient set on three objectives — sales ↑, loss ↓, DSO ↓ —: the points no other is at least
 * as good as on all three and better on one. A point with no DSO (nothing sold) is never efficient
 * unless nothing else is.
 */
export function paretoSet<P extends FamilyParams>(points: readonly FrontierPoint<P>[]): FrontierPoint<P>[] {
  const dso = (p: FrontierPoint<P>) => p.dsoDays ?? Number.POSITIVE_INFINITY;
  const dominates = (a: FrontierPoint<P>, b: FrontierPoint<P>) =>
    a.salesMinor >= b.salesMinor &&
    a.lossMinor <= b.lossMinor &&
    dso(a) <= dso(b) &&
    (a.salesMinor > b.salesMinor || a.lossMinor < b.lossMinor || dso(a) < dso(b));
  return points
    .filter((p) => !points.some((q) => dominates(q, p)))
    .sort((a, b) => a.lossMinor - b.lossMinor || b.salesMinor - a.salesMinor);
}

/** The point with most sales whose loss stays within the budget (the lower loss on a tie), or null. */
export function bestWithin<P extends FamilyParams>(points: readonly FrontierPoint<P>[], budgetMinor: number) {
  let best: FrontierPoint<P> | null = null;
  for (const p of points)
    if (
      p.lossMinor <= budgetMinor &&
      (!best ||
        p.salesMinor > best.salesMinor ||
        (p.salesMinor === best.salesMinor && p.lossMinor < best.lossMinor))
    )
      best = p;
  return best;
}

export function evaluate<P extends FamilyParams>(
  orders: readonly ReplayOrder[],
  params: P,
): FrontierPoint<P> {
  return { params, ...replayOrders(orders, candidatePolicy(params).replay) };
}

export interface SearchOptions {
  /** Fulcrum candidates to try (at least 1); the static family is swept on its own grid. */
  readonly candidates: number;
  readonly seed: number;
  /** The loss the search aims under: its adaptive half refines the best points within it. */
  readonly lossBudgetMinor: number;
  /** The median sale, the unit of new-customer limits (so the families fit any book's scale). */
  readonly newCustomerScaleMinor: number;
}

/** Evaluates candidates (in this thread or on others): the points in the order of the candidates. */
export type EvaluateBatch = <P extends FamilyParams>(params: readonly P[]) => Promise<FrontierPoint<P>[]>;

/** Candidates the adaptive half draws between looking at the results again. */
const ROUND = 32;

/** How many candidates a search evaluates in all: the baseline grid and Fulcrum's. */
export const searchSize = (options: SearchOptions) =>
  baselineGrid(options.newCustomerScaleMinor).length + options.candidates;

/**
 * The sweep: the static family on its grid, and Fulcrum's family by a seeded search — half random
 * draws, then rounds of neighbours of the best points found so far within the budget (adaptive).
 * The draws depend only on the seed and on earlier rounds' results, so however the batches are
 * spread over threads the answer is the same.
 */
export async function searchFrontier(options: SearchOptions, evaluateBatch: EvaluateBatch) {
  const uniform = seededUniform(options.seed);
  const baseline = await evaluateBatch(baselineGrid(options.newCustomerScaleMinor));
  const randomHalf = Math.ceil(options.candidates / 2);
  const draws = Array.from({ length: randomHalf }, () =>
    randomFulcrum(uniform, options.newCustomerScaleMinor),
  );
  const fulcrum: FrontierPoint<FulcrumParams>[] = await evaluateBatch(draws);
  while (fulcrum.length < options.candidates) {
    const within = fulcrum
      .filter((p) => p.lossMinor <= options.lossBudgetMinor)
      .sort((a, b) => b.salesMinor - a.salesMinor);
    const parents = within.length > 0 ? within.slice(0, 5) : paretoFront(fulcrum).slice(0, 5);
    const size = Math.min(ROUND, options.candidates - fulcrum.length);
    const round = Array.from({ length: size }, () => {
      const parent = parents[Math.floor(uniform() * parents.length)] as FrontierPoint<FulcrumParams>;
      return perturbFulcrum(parent.params, uniform);
    });
    fulcrum.push(...(await evaluateBatch(round)));
  }
  return { baseline, fulcrum };
}

/** The batch evaluated here, in this thread: for small books and for tests of the search itself. */
export const evaluateHere =
  (orders: readonly ReplayOrder[]): EvaluateBatch =>
  async (params) =>
    params.map((p) => evaluate(orders, p));
