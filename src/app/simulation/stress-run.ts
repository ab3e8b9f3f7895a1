import {
  expectedLossOf,
  measureAppetite,
  pdOfGrade,
  UNSECURED_LGD,
} from '../../core/appetite/risk-appetite.js';
import { DomainError } from '../../core/errors.js';
import { replayOrders } from '../../core/simulation/replay-book.js';
import { replayAppetiteBreaches, stressedGrades } from '../../core/simulation/stress.js';
import { openBookForecasts } from '../forecast/payment-forecast.js';
import { appetiteInput } from '../portfolio/appetite.js';
import type { Services } from '../services.js';
import { historyOutcome } from './replay-run.js';
import { loadSimulationBook } from './simulation-book.js';

export interface StressRequest {
  /** Every PD × this (default 2). */
  readonly pdScale?: number;
  /** Every payment this many days later (default 30). */
  readonly paymentDelayDays?: number;
  /** The largest exposures that default today (default 3). */
  readonly largestDefaults?: number;
  /** The window of the cash-in the liquidity stress looks at (default 30 days). */
  readonly horizonDays?: number;
}

function setting(
  value: number | undefined,
  fallback: number,
  field: string,
  min: number,
  max: number,
  whole: boolean,
) {
  const v = value ?? fallback;
  if (!(Number.isFinite(v) && v >= min && v <= max && (!whole || Number.isInteger(v))))
    throw new DomainError(
      'invalid_setting',
      `${field} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`,
      field,
    );
  return v;
}

/**
 * `fulcrum simulate stress` (H3): the current policy replayed over the book's history with stressed
 * PDs (× k: worse grades at the check, and the default beyond history on every sale) and slower
 * payment (+ N days: more overdue at the check, more left open); and today's book hit by the same PDs,
 * the same delay and the default of its largest exposures — the loss, the cash-in shortfall over the
 * horizon, and the appetite measures breached, each beside the unstressed figure.
 */
export async function runStress(services: Services, request: StressRequest = {}) {
  const pdScale = setting(request.pdScale, 2, 'pdScale', 1, 10, false);
  const paymentDelayDays = setting(request.paymentDelayDays, 30, 'paymentDelayDays', 0, 365, true);
  const largestDefaults = setting(request.largestDefaults, 3, 'largestDefaults', 0, 100, true);
  const horizonDays = setting(request.horizonDays, 30, 'horizonDays', 1, 365, true);

  const base = await loadSimulationBook(services);
  const delayed = paymentDelayDays > 0 ? await loadSimulationBook(services, { paymentDelayDays }) : base;
  const policy = { decide: base.policy.evaluate, limitMinor: base.currentLimit };
  const replayBase = replayOrders(base.orders, policy);
  const replayStressed = replayOrders(stressedGrades(delayed.orders, pdScale), policy, { pdScale });

  // Today's book: the largest exposures default, everyone else's PD is scaled.
  const live = await appetiteInput(services);
  const defaulted = [...live.input.customers]
    .filter((c) => c.exposureMinor > 0)
    .sort((a, b) => b.exposureMinor - a.exposureMinor)
    .slice(0, largestDefaults)
    .map((c) => ({
      customerId: c.customerId,
      name: c.name,
      exposureMinor: c.exposureMinor,
      insuredMinor: c.insuredMinor,
      lossMinor: Math.round(UNSECURED_LGD * Math.max(0, c.exposureMinor - c.insuredMinor)),
    }));
  const gone = new Set(defaulted.map((d) => d.customerId));
  const stressedInput = {
    customers: live.input.customers.map((c) => ({
      ...c,
      pd: gone.has(c.customerId) ? 1 : Math.min(1, pdOfGrade(c.ratingGrade) * pdScale),
    })),
    dsoDays: live.input.dsoDays === null ? null : live.input.dsoDays + paymentDelayDays,
  };
  const measuresBase = measureAppetite(live.input, live.appetite);
  const measuresStressed = measureAppetite(stressedInput, live.appetite);

  const { day, forecasts } = await openBookForecasts(services);
  let cashInBase = 0;
  let cashInStressed = 0;
  for (const f of forecasts) {
    if (f.expectedDay <= day + horizonDays) cashInBase += f.openMinor;
    if (!gone.has(f.customerId) && f.expectedDay + paymentDelayDays <= day + horizonDays)
      cashInStressed += f.openMinor;
  }
  return {
    asOf: live.today,
    currency: base.currency,
    policyVersion: base.policy.version,
    scenario: { pdScale, paymentDelayDays, largestDefaults, horizonDays },
    replay: {
      from: base.from,
      to: base.to,
      history: historyOutcome(base.orders),
      base: { ...replayBase, appetiteBreaches: replayAppetiteBreaches(replayBase, base.appetite) },
      stressed: {
        ...replayStressed,
        appetiteBreaches: replayAppetiteBreaches(replayStressed, base.appetite),
      },
    },
    book: {
      expectedLossMinor: {
        base: Math.round(expectedLossOf(live.input.customers)),
        stressed: Math.round(expectedLossOf(stressedInput.customers)),
      },
      largestDefaults: defaulted,
      defaultLossMinor: defaulted.reduce((s, d) => s + d.lossMinor, 0),
      liquidity: {
        horizonDays,
        cashInBaseMinor: cashInBase,
        cashInStressedMinor: cashInStressed,
        shortfallMinor: cashInBase - cashInStressed,
      },
      appetite: {
        base: measuresBase,
        stressed: measuresStressed,
        breaches: measuresStressed.filter((m) => m.breached).map((m) => m.measure),
      },
    },
  };
}
