import { invariant } from '../errors.js';

export interface LogisticFit {
  readonly intercept: number;
  readonly coefficients: number[];
  readonly iterations: number;
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

/**
 * L2-regularised logistic regression by iteratively reweighted least squares (Newton's method).
 * The intercept is not penalised. Converges in a handful of iterations on scorecard-sized problems.
 */
export function fitLogistic(
  rows: readonly (readonly number[])[],
  outcomes: readonly number[],
  options: { l2?: number; maxIterations?: number; tolerance?: number } = {},
): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-8;
  const n = rows.length;
  invariant(n === outcomes.length && n > 0, 'one outcome per row, at least one row');
  const p = (rows[0] as readonly number[]).length + 1;
  let beta = new Array<number>(p).fill(0);
  const mean = outcomes.reduce((s, y) => s + y, 0) / n;
  beta[0] = Math.log(Math.max(mean, 1e-6) / Math.max(1 - mean, 1e-6));
  let iterations = 0;
  // Each row with a leading 1 for the intercept, so the accumulation loops carry no branches.
  const xa = new Float64Array(p);
  xa[0] = 1;
  for (; iterations < maxIterations; iterations++) {
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
    const step = solveSpd(matrix, gradient);
    beta = beta.map((b, j) => b + (step[j] as number));
    if (Math.max(...step.map(Math.abs)) < tolerance) break;
  }
  return { intercept: beta[0] as number, coefficients: beta.slice(1), iterations: iterations + 1 };
}

export function predictLogistic(
  fit: Pick<LogisticFit, 'intercept' | 'coefficients'>,
  x: readonly number[],
): number {
  let z = fit.intercept;
  for (let j = 0; j < fit.coefficients.length; j++) z += (fit.coefficients[j] as number) * (x[j] as number);
  return sigmoid(z);
}
