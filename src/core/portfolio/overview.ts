import { RISK_CLASSES, type RiskClass } from '../rating/risk-class.js';

/** One customer's position in the base currency: what the portfolio view adds up. */
export interface CustomerExposure {
  readonly customerId: string;
  readonly name: string;
  readonly riskClass: RiskClass;
  readonly limitMinor: number;
  readonly exposureMinor: number;
  readonly overdueMinor: number;
  readonly blocked: boolean;
}

/** Utilisation bands (exposure ÷ limit), upper bounds in percent; the last is "over the limit". */
export const UTILISATION_BANDS = [
  { band: 'no_limit', upTo: null },
  { band: '0-25', upTo: 25 },
  { band: '25-50', upTo: 50 },
  { band: '50-75', upTo: 75 },
  { band: '75-90', upTo: 90 },
  { band: '90-100', upTo: 100 },
  { band: 'over_100', upTo: Number.POSITIVE_INFINITY },
] as const;

function bandOf(c: CustomerExposure): string {
  if (c.limitMinor <= 0) return c.exposureMinor > 0 ? 'over_100' : 'no_limit';
  const percent = (Math.max(c.exposureMinor, 0) / c.limitMinor) * 100;
  return UTILISATION_BANDS.find((b) => b.upTo !== null && percent <= b.upTo)?.band ?? 'over_100';
}

/** The book at a glance (H1): totals, utilisation spread, exposure by risk class, the largest exposures. */
export function portfolioSummary(customers: readonly CustomerExposure[], top = 20) {
  let limitMinor = 0;
  let exposureMinor = 0;
  let overdueMinor = 0;
  const bands = new Map<string, { customers: number; exposureMinor: number }>(
    UTILISATION_BANDS.map((b) => [b.band, { customers: 0, exposureMinor: 0 }]),
  );
  const classes = new Map<RiskClass, { customers: number; exposureMinor: number; limitMinor: number }>(
    RISK_CLASSES.map((c) => [c, { customers: 0, exposureMinor: 0, limitMinor: 0 }]),
  );
  for (const c of customers) {
    limitMinor += c.limitMinor;
    exposureMinor += c.exposureMinor;
    overdueMinor += c.overdueMinor;
    const band = bands.get(bandOf(c));
    if (band) {
      band.customers += 1;
      band.exposureMinor += c.exposureMinor;
    }
    const cls = classes.get(c.riskClass);
    if (cls) {
      cls.customers += 1;
      cls.exposureMinor += c.exposureMinor;
      cls.limitMinor += c.limitMinor;
    }
  }
  const largest = [...customers]
    .sort((a, b) => b.exposureMinor - a.exposureMinor || a.customerId.localeCompare(b.customerId))
    .slice(0, top)
    .map((c) => ({ ...c, utilisation: c.limitMinor > 0 ? c.exposureMinor / c.limitMinor : null }));
  return {
    customers: customers.length,
    limitMinor,
    exposureMinor,
    availableMinor: limitMinor - exposureMinor,
    overdueMinor,
    utilisation: limitMinor > 0 ? exposureMinor / limitMinor : null,
    overLimit: customers.filter((c) => c.limitMinor > 0 && c.exposureMinor > c.limitMinor).length,
    blocked: customers.filter((c) => c.blocked).length,
    utilisationBands: [...bands].map(([band, v]) => ({ band, ...v })),
    riskClasses: [...classes].map(([riskClass, v]) => ({ riskClass, ...v })),
    topExposures: largest,
  };
}
