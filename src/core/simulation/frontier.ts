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
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * The sweep: the static family on its grid, and Fulcrum's family by a seeded search — half random
 * draws, half neighbours of the best points found so far within the budget (adaptive).
 */
export function searchFrontier(orders: readonly ReplayOrder[], options: SearchOptions) {
  const uniform = seededUniform(options.seed);
  const grid = baselineGrid(options.newCustomerScaleMinor);
  const total = grid.length + options.candidates;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  const baseline = grid.map((params) => {
    const point = evaluate(orders, params);
    tick();
    return point;
  });
  const fulcrum: FrontierPoint<FulcrumParams>[] = [];
  const randomHalf = Math.ceil(options.candidates / 2);
  for (let k = 0; k < options.candidates; k++) {
    let params: FulcrumParams;
    if (k < randomHalf) params = randomFulcrum(uniform, options.newCustomerScaleMinor);
    else {
      const within = fulcrum
        .filter((p) => p.lossMinor <= options.lossBudgetMinor)
        .sort((a, b) => b.salesMinor - a.salesMinor);
      const parents = within.length > 0 ? within.slice(0, 5) : paretoFront(fulcrum).slice(0, 5);
      const parent = parents[Math.floor(uniform() * parents.length)];
      params = parent
        ? perturbFulcrum(parent.params, uniform)
        : randomFulcrum(uniform, options.newCustomerScaleMinor);
    }
    fulcrum.push(evaluate(orders, params));
    tick();
  }
  return { baseline, fulcrum };
}
