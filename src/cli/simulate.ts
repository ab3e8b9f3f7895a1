import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { runFrontier } from '../app/simulation/frontier-run.js';
import { major, wholeNumber } from './arguments.js';
import { openRuntime } from './runtime.js';
import { registerReplayCommands } from './simulate-replay.js';

interface FrontierOptions {
  candidates?: number;
  lossBudgetMinor?: number;
  seed?: number;
  json?: boolean;
  progress: boolean;
}

/** `fulcrum simulate …`: policies tried on the book's history before anyone runs them. */
export function registerSimulateCommands(program: Command): void {
  const simulate = program.command('simulate').description('try credit policies on the book’s history');
  registerReplayCommands(simulate);
  simulate
    .command('frontier')
    .description(
      'replay the whole history under the current policy, the static baseline family and Fulcrum’s family; the most each sells within a loss budget',
    )
    .option('--candidates <n>', 'Fulcrum candidates to try (default 500)', wholeNumber)
    .option(
      '--loss-budget-minor <minor>',
      'the loss to stay within, in minor units (default: the current policy’s)',
      wholeNumber,
    )
    .option('--seed <n>', 'seed of the search (default 1): the same seed, the same answer', wholeNumber)
    .option('--json', 'print the result as one JSON line')
    .option('--no-progress', 'no progress bar')
    .action(async (options: FrontierOptions) => {
      const { services } = await openRuntime();
      // On stderr, so stdout carries only the result.
      const bar =
        options.progress && !options.json
          ? new SingleBar({
              format: 'frontier [{bar}] {percentage}% {value}/{total} policies  {eta_formatted} left',
              hideCursor: true,
            })
          : null;
      let started = false;
      const onProgress = (done: number, total: number) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      };
      try {
        const result = await runFrontier(services, {
          ...(options.candidates === undefined ? {} : { candidates: options.candidates }),
          ...(options.lossBudgetMinor === undefined ? {} : { lossBudgetMinor: options.lossBudgetMinor }),
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          onProgress,
        });
        if (started) bar?.stop();
        started = false;
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
          return;
        }
        const line = (label: string, p: { salesMinor: number; lossMinor: number } | null) =>
          p
            ? `  ${label.padEnd(10)} sales ${major(p.salesMinor).padStart(18)}  loss ${major(p.lossMinor).padStart(16)} ${result.currency}\n`
            : `  ${label.padEnd(10)} none within the budget\n`;
        process.stdout.write(
          `${result.sales} sales ${result.from} … ${result.to}; loss budget ${major(result.lossBudgetMinor)} ${result.currency}\n${line('current', result.current)}${line('baseline', result.baseline)}${line('fulcrum', result.best)}`,
        );
        process.stdout.write(
          result.upliftPct === null
            ? 'no uplift to report\n'
            : `Fulcrum's best sells ${result.upliftPct} % more than the static baseline's within the same loss\n`,
        );
      } finally {
        if (started) bar?.stop();
        await services.store.close();
      }
    });
}
