import { invariant } from '../errors.js';

export interface LogisticFit {
  readonly intercept: number;
  readonly coefficients: number[];
  readonly iterations: number;
  /** The fitted model's log-likelihood on its training rows, and the intercept-only model's. */
  readonly logLikelihood: number;
  readonly nullLogLikelihood: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Solves A x = b for a symmetric positive-definite A by Cholesky decomposition. */
function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (a[i] as number[])[j] as number;
      for (let k = 0; k < j; k++)
        sum -= ((l[i] as number[])[k] as number) * ((l[j] as number[])[k] as number);
      if (i === j) {
        invariant(sum > 0, 'matrix is not positive definite');
        (l[i] as number[])[i] = Math.sqrt(sum);
      } else {
        (l[i] as number[])[j] = sum / ((l[j] as number[])[j] as number);
      }
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= ((l[i] as number[])[k] as number) * (y[k] as number);
    y[i] = sum / ((l[i] as number[])[i] as number);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= ((l[k] as number[])[i] as number) * (x[k] as number);
    x[i] = sum / ((l[i] as number[])[i] as number);
  }
  return x;
}

/** ln(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** The smallest penalty: without one, separable data have no finite maximum to converge to. */
export const MIN_L2 = 1e-6;

/** Why a fit is no model: it did not converge, or it explains the outcomes no better than their mean. */
export class LogisticFitError extends Error {
  readonly reason: 'not_converged' | 'no_better_than_intercept';
  constructor(reason: LogisticFitError['reason'], message: string) {
    super(message);
    this.name = 'LogisticFitError';
    this.reason = reason;
  }
}

/** Log-likelihood of `beta` (intercept first), less the L2 penalty on the slopes. */
function penalisedLogLikelihood(
  beta: readonly number[],
  rows: readonly (readonly number[])[],
  outcomes: readonly number[],
  l2: number,
): { penalised: number; logLikelihood: number } {
  const p = beta.length;
  let ll = 0;
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i] as readonly number[];
    let z = beta[0] as number;
    for (let j = 1; j < p; j++) z += (beta[j] as number) * (x[j - 1] as number);
    ll += (outcomes[i] as number) * z - softplus(z);
  }
  let penalty = 0;
  for (let j = 1; j < p; j++) penalty += (beta[j] as number) ** 2;
  return { penalised: ll - 0.5 * l2 * penalty, logLikelihood: ll };
}

/**
 * L2-regularised logistic regression by damped Newton's method (IRLS with step-halving): each
 * Newton step is halved until the penalised log-likelihood rises enough (Armijo), so the fit can
 * only climb — an undamped step from a poor start on heavy-tailed or nearly separable data can
 * overshoot into saturation and never come back. The intercept is not penalised; the penalty is
 * never below MIN_L2. A fit that has not converged within `maxIterations`, or whose
 * log-likelihood is below the intercept-only model's, throws LogisticFitError — never a model.
 */
export function fitLogistic(
  rows: readonly (readonly number[])[],
  outcomes: readonly number[],
  options: { l2?: number; maxIterations?: number; tolerance?: number } = {},
): LogisticFit {
  const l2 = Math.max(options.l2 ?? 1, MIN_L2);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  const n = rows.length;
  invariant(n === outcomes.length && n > 0, 'one outcome per row, at least one row');
  const p = (rows[0] as readonly number[]).length + 1;
  let beta = new Array<number>(p).fill(0);
  const mean = outcomes.reduce((s, y) => s + y, 0) / n;
  beta[0] = Math.log(Math.max(mean, 1e-6) / Math.max(1 - mean, 1e-6));
  const intercept = penalisedLogLikelihood(beta, rows, outcomes, l2);
  let current = intercept.penalised;
  let iterations = 0;
  let converged = false;
  // Each row with a leading 1 for the intercept, so the accumulation loops carry no branches.
  const xa = new Float64Array(p);
  xa[0] = 1;
  while (!converged && iterations < maxIterations) {
    iterations++;
    const hessian = new Float64Array(p * p);
    const gradient = new Array<number>(p).fill(0);
    for (let i = 0; i < n; i++) {
      const x = rows[i] as readonly number[];
      for (let j = 1; j < p; j++) xa[j] = x[j - 1] as number;
      let z = 0;
      for (let j = 0; j < p; j++) z += (beta[j] as number) * (xa[j] as number);
      const mu = sigmoid(z);
      const w = Math.max(mu * (1 - mu), 1e-10);
      const r = (outcomes[i] as number) - mu;
      for (let j = 0; j < p; j++) {
        const xj = xa[j] as number;
        gradient[j] = (gradient[j] as number) + xj * r;
        const wxj = w * xj;
        const base = j * p;
        for (let k = 0; k <= j; k++)
          hessian[base + k] = (hessian[base + k] as number) + wxj * (xa[k] as number);
      }
    }
    const matrix = Array.from({ length: p }, (_, j) =>
      Array.from({ length: p }, (_, k) => (k <= j ? hessian[j * p + k] : hessian[k * p + j]) as number),
    );
    for (let j = 1; j < p; j++) {
      (matrix[j] as number[])[j] = ((matrix[j] as number[])[j] as number) + l2;
      gradient[j] = (gradient[j] as number) - l2 * (beta[j] as number);
    }
    // Converged when no coordinate of the gradient is more than `tolerance` per row.
    if (Math.max(...gradient.map(Math.abs)) <= tolerance * n) {
      converged = true;
      break;
    }
    const step = solveSpd(matrix, gradient);
    const slope = step.reduce((s, d, j) => s + d * (gradient[j] as number), 0);
    let t = 1;
    let next = beta;
    let value = current;
    for (; t > 1e-10; t /= 2) {
      next = beta.map((b, j) => b + t * (step[j] as number));
      value = penalisedLogLikelihood(next, rows, outcomes, l2).penalised;
      if (Number.isFinite(value) && value >= current + 1e-4 * t * slope) break;
    }
    if (t <= 1e-10) {
      // No step climbs any more: at the optimum as far as floating point can tell, or stuck.
      converged = Math.max(...gradient.map(Math.abs)) <= 1e-6 * n;
      break;
    }
    beta = next;
    current = value;
    if (Math.max(...step.map((d) => Math.abs(t * d))) < tolerance) converged = true;
  }
  if (!converged || !beta.every(Number.isFinite)) {
    throw new LogisticFitError(
      'not_converged',
      `the logistic regression did not converge in ${iterations} iterations (penalised log-likelihood ${current.toFixed(4)})`,
    );
  }
  const fitted = penalisedLogLikelihood(beta, rows, outcomes, l2);
  // The fit maximises the penalised likelihood, so it can only beat the mean by the penalty it pays.
  if (fitted.penalised < intercept.penalised - 1e-9 * Math.abs(intercept.penalised)) {
    throw new LogisticFitError(
      'no_better_than_intercept',
      `the fitted model (log-likelihood ${fitted.logLikelihood.toFixed(4)}) explains the outcomes no better than their mean (${intercept.logLikelihood.toFixed(4)})`,
    );
  }
  return {
    intercept: beta[0] as number,
    coefficients: beta.slice(1),
    iterations,
    logLikelihood: fitted.logLikelihood,
    nullLogLikelihood: intercept.logLikelihood,
  };
}

export function predictLogistic(
  fit: Pick<LogisticFit, 'intercept' | 'coefficients'>,
  x: readonly number[],
): number {
  let z = fit.intercept;
  for (let j = 0; j < fit.coefficients.length; j++) z += (fit.coefficients[j] as number) * (x[j] as number);
  return sigmoid(z);
}
