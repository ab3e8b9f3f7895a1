import type { Command } from 'commander';
import { runReplay } from '../app/simulation/replay-run.js';
import { runStress } from '../app/simulation/stress-run.js';
import { factor, major, wholeNumber } from './arguments.js';
import { openRuntime } from './runtime.js';

/** Runs one simulation on the data directory's book and prints it (one JSON line with --json). */
async function printed<R>(
  json: boolean | undefined,
  run: Parameters<typeof withServices<R>>[0],
  text: (r: R) => string,
) {
  const result = await withServices(run);
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : text(result));
}

async function withServices<R>(
  run: (services: Awaited<ReturnType<typeof openRuntime>>['services']) => Promise<R>,
) {
  const { services } = await openRuntime();
  try {
    return await run(services);
  } finally {
    await services.store.close();
  }
}

const outcomeLine = (
  label: string,
  o: { salesMinor: number; lossMinor: number; dsoDays: number | null },
  currency: string,
) =>
  `  ${label.padEnd(10)} sales ${major(o.salesMinor).padStart(18)}  loss ${major(o.lossMinor).padStart(16)} ${currency}  DSO ${o.dsoDays ?? '—'} d\n`;

/** `fulcrum simulate replay|stress`: one policy over the whole history, and the current one under stress. */
export function registerReplayCommands(simulate: Command): void {
  simulate
    .command('replay')
    .description(
      'replay one policy version over the whole history: sales, loss (realised and expected), DSO, exposure, queue work, appetite, the customers it affects most',
    )
    .option(
      '--policy-version <n>',
      'the version to replay (default: the active one; 0 the built-in)',
      wholeNumber,
    )
    .option('--json', 'print the result as one JSON line')
    .action((options: { policyVersion?: number; json?: boolean }) =>
      printed(
        options.json,
        (services) =>
          runReplay(
            services,
            options.policyVersion === undefined ? {} : { policyVersion: options.policyVersion },
          ),
        (r) =>
          `policy ${r.policyVersion} over ${r.sales} sales ${r.from} … ${r.to}\n${outcomeLine('history', { ...r.history, dsoDays: null }, r.currency)}${outcomeLine('policy', r.outcome, r.currency)}  queue ${r.outcome.queuedPerWeek}/week; appetite breached: ${r.appetiteBreaches.join(', ') || 'none'}\n`,
      ),
    );
  simulate
    .command('stress')
    .description(
      'the current policy and today’s book under stress: PDs × k, payments N days later, the largest exposures defaulting',
    )
    .option('--pd-scale <k>', 'every PD × k (default 2)', factor)
    .option('--payment-delay-days <n>', 'every payment n days later (default 30)', wholeNumber)
    .option('--largest-defaults <n>', 'the largest exposures that default (default 3)', wholeNumber)
    .option('--horizon-days <n>', 'the cash-in window of the liquidity stress (default 30)', wholeNumber)
    .option('--json', 'print the result as one JSON line')
    .action(
      (options: {
        pdScale?: number;
        paymentDelayDays?: number;
        largestDefaults?: number;
        horizonDays?: number;
        json?: boolean;
      }) => {
        const { json, ...request } = options;
        return printed(
          json,
          (services) => runStress(services, request),
          (r) =>
            `stress ×${r.scenario.pdScale} PD, +${r.scenario.paymentDelayDays} d payment, ${r.scenario.largestDefaults} largest default\n${outcomeLine('base', r.replay.base, r.currency)}${outcomeLine('stressed', r.replay.stressed, r.currency)}  today: default loss ${major(r.book.defaultLossMinor)}, cash-in shortfall over ${r.book.liquidity.horizonDays} d ${major(r.book.liquidity.shortfallMinor)} ${r.currency}; appetite breached: ${r.book.appetite.breaches.join(', ') || 'none'}\n`,
        );
      },
    );
}
