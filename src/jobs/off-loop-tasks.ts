import { cashForecast, forecastBacktest } from '../app/forecast/payment-forecast.js';
import { backtestAlerts } from '../app/monitoring/alerts-backtest.js';
import { runMonitoring } from '../app/monitoring/monitoring-run.js';
import type { Services } from '../app/services.js';
import { runFrontier } from '../app/simulation/frontier-run.js';

/**
 * The heavy work the server runs off its event loop, each reading the whole book: the frontier and
 * the back-test only read; the nightly early-warning run also writes its alerts, through its own
 * connection, as a CLI run beside the server would.
 */
export const OFF_LOOP_TASKS = {
  frontier: runFrontier,
  backtest: backtestAlerts,
  cashForecast,
  forecastBacktest,
  monitoring: (services: Services, input: { actor: string }) => runMonitoring(services, input.actor),
} as const;

export type OffLoopTask = keyof typeof OFF_LOOP_TASKS;
