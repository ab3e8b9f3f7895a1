import { DomainError } from '../errors.js';
import { riskClassOfGrade } from './master-scale.js';
import type { RiskClass } from './risk-class.js';

/** manual: assessed by hand before any model rated the customer; model: the master scale; override: A6. */
export type RatingSource = 'manual' | 'model' | 'override';

export const OVERRIDE_STATUSES = ['pending', 'active', 'rejected', 'ended'] as const;
export type OverrideStatus = (typeof OVERRIDE_STATUSES)[number];

/** An override must say why in words a reviewer can judge, not "per sales". */
export const OVERRIDE_REASON_MIN_LENGTH = 20;

export interface OverrideRequest {
  readonly strategic: boolean;
  readonly grade: number;
  readonly modelGrade: number | null;
  readonly reason: string;
  /** An override for this customer is already pending or in force. */
  readonly openOverride: boolean;
}

/**
 * What may be asked (A6): only for a customer flagged strategic, only against a model rating, a
 * different grade of the master scale, a reason, and one open override at a time.
 */
export function validateOverrideRequest(request: OverrideRequest): void {
  if (!Number.isInteger(request.grade) || request.grade < 1 || request.grade > 10)
    throw new DomainError('invalid_grade', 'grade must be a whole number from 1 to 10', 'grade');
  if (request.reason.trim().length < OVERRIDE_REASON_MIN_LENGTH)
    throw new DomainError(
      'reason_too_short',
      `reason must say why in at least ${OVERRIDE_REASON_MIN_LENGTH} characters`,
      'reason',
    );
  if (!request.strategic)
    throw new DomainError(
      'not_strategic',
      'only a customer flagged strategic may have its rating overridden',
    );
  if (request.modelGrade === null)
    throw new DomainError('no_model_rating', 'the customer has no model rating to override yet');
  if (request.grade === request.modelGrade)
    throw new DomainError(
      'override_same_as_model',
      `the model already rates this customer ${request.grade}`,
      'grade',
    );
  if (request.openOverride)
    throw new DomainError('override_open', 'this customer already has an override pending or in force');
}

/** Four eyes: a pending override is decided by someone other than who asked for it. */
export function assertCanDecideOverride(
  override: { status: string; requestedBy: string },
  decider: string,
): void {
  if (override.status !== 'pending')
    throw new DomainError('override_not_pending', `the override is ${override.status}, not pending`);
  if (override.requestedBy === decider)
    throw new DomainError('four_eyes_violation', 'the requester cannot approve their own override');
}

export interface RatingInForce {
  readonly grade: number;
  readonly riskClass: RiskClass;
  readonly source: RatingSource;
}

/** The model's grade unless an approved override is in force; the class follows the grade. */
export function ratingInForce(modelGrade: number, overrideGrade: number | null): RatingInForce {
  const grade = overrideGrade ?? modelGrade;
  return { grade, riskClass: riskClassOfGrade(grade), source: overrideGrade === null ? 'model' : 'override' };
}

/** Customers counted by grade at the start (rows) and at the end (columns) of a period; index 0 = grade 1. */
export interface RatingMigration {
  readonly matrix: number[][];
  readonly upgraded: number;
  readonly downgraded: number;
  readonly unchanged: number;
  /** Rated at the end only (new), or at the start only (no longer rated). */
  readonly newlyRated: number;
  readonly noLongerRated: number;
}

export function ratingMigration(
  start: ReadonlyMap<string, number>,
  end: ReadonlyMap<string, number>,
): RatingMigration {
  const matrix = Array.from({ length: 10 }, () => Array<number>(10).fill(0));
  let upgraded = 0;
  let downgraded = 0;
  let unchanged = 0;
  let noLongerRated = 0;
  for (const [customer, from] of start) {
    const to = end.get(customer);
    if (to === undefined) {
      noLongerRated += 1;
      continue;
    }
    (matrix[from - 1] as number[])[to - 1] = ((matrix[from - 1] as number[])[to - 1] ?? 0) + 1;
    if (to < from) upgraded += 1;
    else if (to > from) downgraded += 1;
    else unchanged += 1;
  }
  const newlyRated = [...end.keys()].filter((c) => !start.has(c)).length;
  return { matrix, upgraded, downgraded, unchanged, newlyRated, noLongerRated };
}
