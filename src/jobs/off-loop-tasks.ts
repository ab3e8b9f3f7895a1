import { backtestAlerts } from '../app/monitoring/alerts-backtest.js';
import { runFrontier } from '../app/simulation/frontier-run.js';

/** The read-only heavy work the server runs off its event loop (each reads the whole book). */
export const OFF_LOOP_TASKS = {
  frontier: runFrontier,
  backtest: backtestAlerts,
} as const;

export type OffLoopTask = keyof typeof OFF_LOOP_TASKS;
