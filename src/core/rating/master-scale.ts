import { invariant } from '../errors.js';
import type { RiskClass } from './risk-class.js';

/**
 * The master scale (A6): PD → grade 1 (best) … 10 (worst) → risk class A … E. Each grade holds the
 * PDs up to its bound; the bounds roughly double, as agency scales do.
 */
export const MASTER_SCALE: readonly { grade: number; pdUpTo: number; riskClass: RiskClass }[] = [
  { grade: 1, pdUpTo: 0.001, riskClass: 'A' },
  { grade: 2, pdUpTo: 0.0025, riskClass: 'A' },
  { grade: 3, pdUpTo: 0.005, riskClass: 'B' },
  { grade: 4, pdUpTo: 0.01, riskClass: 'B' },
  { grade: 5, pdUpTo: 0.02, riskClass: 'C' },
  { grade: 6, pdUpTo: 0.04, riskClass: 'C' },
  { grade: 7, pdUpTo: 0.08, riskClass: 'D' },
  { grade: 8, pdUpTo: 0.15, riskClass: 'D' },
  { grade: 9, pdUpTo: 0.3, riskClass: 'E' },
  { grade: 10, pdUpTo: 1, riskClass: 'E' },
];

export function gradeOf(pd: number): { grade: number; riskClass: RiskClass } {
  invariant(Number.isFinite(pd) && pd >= 0 && pd <= 1, `PD must be within [0, 1], got ${pd}`);
  const row =
    MASTER_SCALE.find((r) => pd <= r.pdUpTo) ?? (MASTER_SCALE.at(-1) as (typeof MASTER_SCALE)[number]);
  return { grade: row.grade, riskClass: row.riskClass };
}

export function riskClassOfGrade(grade: number): RiskClass {
  const row = MASTER_SCALE.find((r) => r.grade === grade);
  invariant(row, `grade must be 1–10, got ${grade}`);
  return row.riskClass;
}
