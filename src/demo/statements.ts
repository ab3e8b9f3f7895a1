import type { NewStatement } from '../app/financials/statements.js';
import { addDays, type BusinessDate, daysBetween } from '../core/time/business-date.js';
import type { DemoBook } from './generate.js';
import type { SeededRandom } from './random.js';

/** Total assets by segment, in CNY minor units (×0.6 … ×1.6 per company). */
const ASSETS = { small: 20_000_000_00, mid: 80_000_000_00, large: 400_000_000_00 } as const;

/** Each figure as a share of total assets: a sound company, and one close to failing. */
const SOUND = {
  ca: 0.5,
  cl: 0.3,
  tl: 0.55,
  re: 0.2,
  revenue: 1.6,
  ebit: 0.09,
  ni: 0.06,
  interest: 0.02,
  inventory: 0.15,
};
const FAILING = {
  ca: 0.3,
  cl: 0.45,
  tl: 0.9,
  re: -0.15,
  revenue: 1.4,
  ebit: -0.03,
  ni: -0.06,
  interest: 0.04,
  inventory: 0.12,
};

/**
 * Annual statements (A5) for about half the Chinese mid and large companies and a quarter of the
 * small: the two year-ends before the as-of day; a firm heading for default shows it in its figures
 * the nearer its default (Z″ sinking into the distress zone), the others some weakness now and then.
 */
export function demoStatements(
  random: SeededRandom,
  book: DemoBook,
  start: BusinessDate,
  asOf: BusinessDate,
  defaultDays: ReadonlyMap<string, number>,
): NewStatement[] {
  const year = Number(asOf.slice(0, 4));
  const periodEnds = [`${year - 2}-12-31`, `${year - 1}-12-31`] as BusinessDate[];
  const statements: NewStatement[] = [];
  for (const customer of book.customers) {
    if (customer.country !== 'CN' || customer.currency !== 'CNY') continue;
    if (!random.chance(customer.segment === 'small' ? 0.25 : 0.5)) continue;
    const assets = Math.round(ASSETS[customer.segment] * (0.6 + random.float()));
    const defaultDay = defaultDays.get(customer.externalId) ?? Number.POSITIVE_INFINITY;
    const habit = random.float() * 0.35;
    for (const periodEnd of periodEnds) {
      const day = daysBetween(start, periodEnd);
      if (day < 0 || day >= defaultDay || addDays(periodEnd, 90) > asOf) continue;
      // How far towards failing: a defaulter within two years of its default, more so the nearer.
      const weakness = Number.isFinite(defaultDay)
        ? Math.min(1, Math.max(habit, 1 - (defaultDay - day) / 730))
        : habit * random.float();
      const share = (k: keyof typeof SOUND) => SOUND[k] + (FAILING[k] - SOUND[k]) * weakness;
      const ta = Math.round(assets * (0.9 + 0.2 * random.float()));
      const of = (k: keyof typeof SOUND) => Math.round(ta * share(k));
      const tl = of('tl');
      statements.push({
        customerExternalId: customer.externalId,
        periodEnd,
        periodMonths: 12,
        currency: 'CNY',
        currentAssetsMinor: of('ca'),
        totalAssetsMinor: ta,
        currentLiabilitiesMinor: Math.min(of('cl'), tl),
        totalLiabilitiesMinor: tl,
        equityMinor: ta - tl,
        retainedEarningsMinor: of('re'),
        revenueMinor: of('revenue'),
        ebitMinor: of('ebit'),
        netIncomeMinor: of('ni'),
        interestExpenseMinor: of('interest'),
        inventoryMinor: Math.min(of('inventory'), of('ca')),
      });
    }
  }
  return statements;
}
