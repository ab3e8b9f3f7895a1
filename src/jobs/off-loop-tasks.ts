import { syncGuaranteeProfiles } from '../app/collateral/collateral.js';
import { executeAgreedTerms } from '../app/credit/agreed-terms.js';
import { cashForecast, forecastBacktest } from '../app/forecast/payment-forecast.js';
import { importBytes } from '../app/imports/import-file.js';
import type { ImportRequest } from '../app/imports/import-jobs.js';
import { syncInsuredProfiles } from '../app/insurance/buyer-limits.js';
import { backtestAlerts } from '../app/monitoring/alerts-backtest.js';
import { runMonitoring } from '../app/monitoring/monitoring-run.js';
import { computeProvision, type ProvisionSettingsInput } from '../app/provisions/provision-run.js';
import { raisePolicyReviews } from '../app/reviews/policy-reviews.js';
import { refreshLatePaymentScores } from '../app/scoring/late-payment-scores.js';
import type { Actor, Services } from '../app/services.js';
import { runFrontier } from '../app/simulation/frontier-run.js';
import { runReplay } from '../app/simulation/replay-run.js';
import { runStress } from '../app/simulation/stress-run.js';

/**
 * The heavy work the server runs off its event loop, each reading the whole book: the frontier and
 * the back-test only read; the nightly early-warning run also writes its alerts, through its own
 * connection, as a CLI run beside the server would; the provision run only reads (the draft is
 * written on the request's thread); an uploaded file's import and the scoring job write through
 * their own connections too.
 */
export const OFF_LOOP_TASKS = {
  frontier: runFrontier,
  replay: runReplay,
  stress: runStress,
  backtest: backtestAlerts,
  cashForecast,
  forecastBacktest,
  monitoring: async (services: Services, input: { actor: string }) => {
    // Insurer decisions whose effective date has come, and securities expired, reach the profiles first.
    const insuredProfilesChanged = await syncInsuredProfiles(services.store.db, services.clock.today());
    const guaranteeProfilesChanged = await syncGuaranteeProfiles(services.store.db, services.clock.today());
    // The terms agreed execute themselves: temporaries expire, tiers whose milestones are met release.
    const terms = await executeAgreedTerms(services, input.actor);
    const run = await runMonitoring(services, input.actor);
    // The policy as a whole: appetite breaches, a change of regime, the quarter's review.
    const policyReviews = await raisePolicyReviews(services, input.actor);
    return {
      ...run,
      insuredProfilesChanged,
      guaranteeProfilesChanged,
      ...terms,
      policyReviewsRaised: policyReviews.raised,
    };
  },
  /** The warning rules alone, as of a day (`POST /v1/alerts/run`). */
  monitoringRun: (services: Services, input: { actor: string; asOf?: string }) =>
    runMonitoring(services, input.actor, input.asOf),
  import: (
    services: Services,
    input: ImportRequest & { actor: string; onProgress?: (done: number, total: number) => void },
  ) =>
    importBytes(services, input.kind, input.fileName, input.bytes, {
      actor: input.actor,
      mode: input.mode,
      encoding: input.encoding,
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    }),
  provision: (services: Services, input: { asOf: string; settings: ProvisionSettingsInput }) =>
    computeProvision(services, input.asOf, input.settings),
  /** The scoring job: the late-payment model fitted and every customer scored, written through its own connection. */
  scoring: (services: Services, input: { actor: Actor }) => refreshLatePaymentScores(services, input.actor),
} as const;

/**
 * Tasks that go on a thread on smaller books than the rest: the scoring job's fit costs far more
 * per invoice than a read does (measured: 1.1 s on the demo book's 33,000 invoices held every
 * what-if for seconds when it ran on the event loop).
 */
export const TASK_MIN_INVOICES: Partial<Record<OffLoopTask, number>> = { scoring: 2_000 };

export type OffLoopTask = keyof typeof OFF_LOOP_TASKS;
