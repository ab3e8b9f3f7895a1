import { DomainError } from '../errors.js';
import { MASTER_SCALE } from '../rating/master-scale.js';
import type { RiskClass } from '../rating/risk-class.js';

/**
 * The risk appetite (H3) as data, kept in the credit policy (versioned, activated by someone else):
 * how much the book may carry, each a share of the whole exposure unless it says days.
 */
export interface RiskAppetite {
  /** Expected loss (Σ PD × LGD × uninsured exposure) over exposure. */
  readonly maxExpectedLossRate: number;
  /** Exposure in the two worst risk classes, D and E. */
  readonly maxWorstClassesShare: number;
  /** The largest single customer. */
  readonly maxSingleNameShare: number;
  /** The largest group of customers (a customer outside any group counts alone). */
  readonly maxGroupShare: number;
  /** Exposure no insurer covers. */
  readonly maxUninsuredShare: number;
  readonly targetDsoDays: number;
}

export const DEFAULT_APPETITE: RiskAppetite = {
  maxExpectedLossRate: 0.02,
  maxWorstClassesShare: 0.15,
  maxSingleNameShare: 0.1,
  maxGroupShare: 0.2,
  maxUninsuredShare: 0.8,
  targetDsoDays: 60,
};

/** Loss given default of what no insurer covers: the Basel foundation figure for senior unsecured claims. */
export const UNSECURED_LGD = 0.45;
/** PD of an unrated customer: the middle of class C, where the order check places it. */
const UNRATED_PD = 0.03;

/** A grade's PD: the middle of its band on the master scale. */
export function pdOfGrade(grade: number | null): number {
  if (grade === null) return UNRATED_PD;
  const at = MASTER_SCALE.findIndex((r) => r.grade === grade);
  if (at < 0) return UNRATED_PD;
  const lower = at === 0 ? 0 : (MASTER_SCALE[at - 1] as { pdUpTo: number }).pdUpTo;
  return (lower + (MASTER_SCALE[at] as { pdUpTo: number }).pdUpTo) / 2;
}

export interface AppetiteInput {
  readonly customers: readonly {
    readonly customerId: string;
    readonly name: string;
    readonly groupId: string | null;
    /** The group's name, to say which group drives the concentration. */
    readonly groupName: string | null;
    readonly riskClass: RiskClass;
    readonly ratingGrade: number | null;
    readonly exposureMinor: number;
    readonly insuredMinor: number;
    /** A PD to use instead of the grade's (a stress, a default). */
    readonly pd?: number;
  }[];
  readonly dsoDays: number | null;
}

/** Σ PD × LGD × uninsured exposure: the loss the book is expected to bring over a year. */
export function expectedLossOf(customers: AppetiteInput['customers']): number {
  return customers.reduce(
    (s, c) =>
      s + (c.pd ?? pdOfGrade(c.ratingGrade)) * UNSECURED_LGD * Math.max(0, c.exposureMinor - c.insuredMinor),
    0,
  );
}

export interface AppetiteMeasure {
  readonly measure: keyof RiskAppetite;
  readonly value: number | null;
  readonly limit: number;
  readonly breached: boolean;
  /** Who drives it, when one customer or group does. */
  readonly driver: string | null;
}

/** The book measured against the appetite: each measure, its limit, and whether it is breached. */
export function measureAppetite(input: AppetiteInput, appetite: RiskAppetite): AppetiteMeasure[] {
  const book = input.customers.filter((c) => c.exposureMinor > 0);
  const total = book.reduce((s, c) => s + c.exposureMinor, 0);
  const share = (x: number) => (total > 0 ? x / total : null);
  const expectedLoss = expectedLossOf(book);
  const worst = book
    .filter((c) => c.riskClass === 'D' || c.riskClass === 'E')
    .reduce((s, c) => s + c.exposureMinor, 0);
  const largest = book.reduce<(typeof book)[number] | null>(
    (m, c) => (!m || c.exposureMinor > m.exposureMinor ? c : m),
    null,
  );
  // A customer outside any group counts as a group of its own.
  const groups = new Map<string, { name: string; exposureMinor: number }>();
  for (const c of book) {
    const key = c.groupId ?? c.customerId;
    const g = groups.get(key) ?? { name: c.groupName ?? c.name, exposureMinor: 0 };
    g.exposureMinor += c.exposureMinor;
    groups.set(key, g);
  }
  const largestGroup = [...groups.values()].reduce<{ name: string; exposureMinor: number } | null>(
    (m, g) => (!m || g.exposureMinor > m.exposureMinor ? g : m),
    null,
  );
  const uninsured = book.reduce((s, c) => s + Math.max(0, c.exposureMinor - c.insuredMinor), 0);
  const measure = (
    name: keyof RiskAppetite,
    value: number | null,
    driver: string | null = null,
  ): AppetiteMeasure => ({
    measure: name,
    value: value === null ? null : Math.round(value * 10_000) / 10_000,
    limit: appetite[name],
    breached: value !== null && value > appetite[name],
    driver,
  });
  return [
    measure('maxExpectedLossRate', share(expectedLoss)),
    measure('maxWorstClassesShare', share(worst)),
    measure('maxSingleNameShare', largest ? share(largest.exposureMinor) : null, largest?.name ?? null),
    measure(
      'maxGroupShare',
      largestGroup ? share(largestGroup.exposureMinor) : null,
      largestGroup?.name ?? null,
    ),
    measure('maxUninsuredShare', share(uninsured)),
    measure('targetDsoDays', input.dsoDays),
  ];
}

/** An appetite as given, each figure checked: shares within [0, 1], days within a year. */
export function validateAppetite(appetite: RiskAppetite, field = 'appetite'): void {
  for (const [name, value] of Object.entries(appetite)) {
    const days = name === 'targetDsoDays';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > (days ? 365 : 1))
      throw new DomainError(
        'invalid_policy',
        `${field}.${name}: must be ${days ? 'days from 0 to 365' : 'a share from 0 to 1'}`,
        `${field}.${name}`,
      );
  }
}
