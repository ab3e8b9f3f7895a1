import { DomainError } from '../errors.js';
import { parseCurrency } from '../money/currency.js';
import { type AltmanZone, altmanZDoublePrime } from '../rating/altman.js';
import { parseBusinessDate } from '../time/business-date.js';

/** A customer's balance sheet and income statement for a period (A5), amounts in minor units. */
export interface StatementInput {
  readonly periodEnd: string;
  readonly periodMonths?: number;
  readonly currency: string;
  readonly currentAssetsMinor: number;
  readonly totalAssetsMinor: number;
  readonly currentLiabilitiesMinor: number;
  readonly totalLiabilitiesMinor: number;
  readonly equityMinor: number;
  readonly retainedEarningsMinor: number;
  readonly revenueMinor: number;
  readonly ebitMinor: number;
  readonly netIncomeMinor: number;
  readonly interestExpenseMinor?: number | null;
  readonly inventoryMinor?: number | null;
}

export type Statement = Required<Omit<StatementInput, 'interestExpenseMinor' | 'inventoryMinor'>> & {
  readonly interestExpenseMinor: number | null;
  readonly inventoryMinor: number | null;
};

const AMOUNTS = [
  'currentAssetsMinor',
  'totalAssetsMinor',
  'currentLiabilitiesMinor',
  'totalLiabilitiesMinor',
  'equityMinor',
  'retainedEarningsMinor',
  'revenueMinor',
  'ebitMinor',
  'netIncomeMinor',
] as const;
/** Figures that cannot be negative (equity, retained earnings, EBIT and net income can). */
const NOT_NEGATIVE = new Set([
  'currentAssetsMinor',
  'totalAssetsMinor',
  'currentLiabilitiesMinor',
  'totalLiabilitiesMinor',
  'revenueMinor',
  'interestExpenseMinor',
  'inventoryMinor',
]);

function amount(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value))
    throw new DomainError('invalid_amount', `${field} must be whole minor units`, field);
  if (NOT_NEGATIVE.has(field) && (value as number) < 0)
    throw new DomainError('invalid_amount', `${field} cannot be negative`, field);
  return value as number;
}

/**
 * A statement checked figure by figure, and as a whole: current parts within their totals, and the
 * balance sheet balancing (assets = liabilities + equity, within 1 %).
 */
export function validateStatement(input: StatementInput): Statement {
  const periodEnd = parseBusinessDate(input.periodEnd, 'periodEnd');
  const periodMonths = input.periodMonths ?? 12;
  if (!(Number.isInteger(periodMonths) && periodMonths >= 1 && periodMonths <= 12))
    throw new DomainError(
      'invalid_period',
      'periodMonths must be a whole number from 1 to 12',
      'periodMonths',
    );
  const figures = Object.fromEntries(AMOUNTS.map((f) => [f, amount(input[f], f)])) as Record<
    (typeof AMOUNTS)[number],
    number
  >;
  const optional = (field: 'interestExpenseMinor' | 'inventoryMinor') =>
    input[field] === undefined || input[field] === null ? null : amount(input[field], field);
  const s: Statement = {
    periodEnd,
    periodMonths,
    currency: parseCurrency(input.currency, 'currency'),
    ...figures,
    interestExpenseMinor: optional('interestExpenseMinor'),
    inventoryMinor: optional('inventoryMinor'),
  };
  if (s.totalAssetsMinor <= 0)
    throw new DomainError('invalid_amount', 'totalAssetsMinor must be more than 0', 'totalAssetsMinor');
  if (s.currentAssetsMinor > s.totalAssetsMinor)
    throw new DomainError(
      'inconsistent_statement',
      'current assets exceed total assets',
      'currentAssetsMinor',
    );
  if (s.currentLiabilitiesMinor > s.totalLiabilitiesMinor)
    throw new DomainError(
      'inconsistent_statement',
      'current liabilities exceed total liabilities',
      'currentLiabilitiesMinor',
    );
  if ((s.inventoryMinor ?? 0) > s.currentAssetsMinor)
    throw new DomainError('inconsistent_statement', 'inventory exceeds current assets', 'inventoryMinor');
  const gap = s.totalAssetsMinor - s.totalLiabilitiesMinor - s.equityMinor;
  if (Math.abs(gap) > s.totalAssetsMinor / 100)
    throw new DomainError(
      'unbalanced_statement',
      `assets (${s.totalAssetsMinor}) ≠ liabilities (${s.totalLiabilitiesMinor}) + equity (${s.equityMinor}) by ${gap} minor units`,
      'equityMinor',
    );
  return s;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** The ratios a credit analyst reads, and Altman Z″ (private, non-manufacturing) with its zone. */
export function statementRatios(s: Statement) {
  const annualised = 12 / s.periodMonths;
  const z = altmanZDoublePrime({
    totalAssets: s.totalAssetsMinor,
    totalLiabilities: s.totalLiabilitiesMinor,
    workingCapital: s.currentAssetsMinor - s.currentLiabilitiesMinor,
    retainedEarnings: s.retainedEarningsMinor,
    ebit: s.ebitMinor * annualised,
    bookEquity: s.equityMinor,
  });
  return {
    workingCapitalMinor: s.currentAssetsMinor - s.currentLiabilitiesMinor,
    // Liquidity
    currentRatio: ratio(s.currentAssetsMinor, s.currentLiabilitiesMinor),
    quickRatio:
      s.inventoryMinor === null
        ? null
        : ratio(s.currentAssetsMinor - s.inventoryMinor, s.currentLiabilitiesMinor),
    // Leverage
    debtToEquity: s.equityMinor > 0 ? s.totalLiabilitiesMinor / s.equityMinor : null,
    liabilitiesToAssets: s.totalLiabilitiesMinor / s.totalAssetsMinor,
    // Coverage
    interestCoverage: s.interestExpenseMinor ? s.ebitMinor / s.interestExpenseMinor : null,
    // Profitability (a year's worth)
    netMargin: ratio(s.netIncomeMinor, s.revenueMinor),
    returnOnAssets: (s.netIncomeMinor * annualised) / s.totalAssetsMinor,
    altmanZ: z ? { model: 'z_double_prime' as const, value: z.z, zone: z.zone } : null,
  };
}
export type StatementRatios = ReturnType<typeof statementRatios>;

/**
 * The grade each Z″ zone stands for on the 1 (best) … 10 scale of the ratings: safe 3, grey 6,
 * distress 9 — the middle of the grades whose default rates Altman's zones show.
 */
export const ZONE_GRADE: Readonly<Record<AltmanZone, number>> = { safe: 3, grey: 6, distress: 9 };

/** The weight of the statements in a blended grade: the behaviour of the account weighs more. */
export const STATEMENT_WEIGHT = 0.3;

/**
 * The behavioural grade blended with the statements' (A5): 70 % the account's behaviour, 30 % the
 * Z″ zone's grade, rounded to the nearest grade; without statements in date, the behaviour alone.
 */
export function blendedGrade(behaviourGrade: number, zone: AltmanZone | null): number {
  if (!zone) return behaviourGrade;
  const blended = Math.round((1 - STATEMENT_WEIGHT) * behaviourGrade + STATEMENT_WEIGHT * ZONE_GRADE[zone]);
  return Math.min(10, Math.max(1, blended));
}

/** A limit the statements support: 10 % of net worth or 20 % of working capital, whichever is lower, never below 0. */
export function statementLimitMinor(s: Statement): number {
  const workingCapital = s.currentAssetsMinor - s.currentLiabilitiesMinor;
  return Math.max(0, Math.floor(Math.min(s.equityMinor * 0.1, workingCapital * 0.2)));
}

/** Each ratio's change since the period before (null where either is unknown). */
export function ratioTrend(latest: StatementRatios, previous: StatementRatios | null) {
  const keys = [
    'currentRatio',
    'quickRatio',
    'debtToEquity',
    'liabilitiesToAssets',
    'interestCoverage',
    'netMargin',
    'returnOnAssets',
  ] as const;
  return Object.fromEntries(
    keys.map((k) => {
      const now = latest[k];
      const then = previous?.[k] ?? null;
      return [k, now === null || then === null ? null : now - then];
    }),
  ) as Record<(typeof keys)[number], number | null>;
}
