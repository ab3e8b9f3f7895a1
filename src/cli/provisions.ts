import { type Command, InvalidArgumentError, Option } from 'commander';
import { computeProvision, recordProvisionRun } from '../app/provisions/provision-run.js';
import type { CurrencyCode } from '../core/money/currency.js';
import { formatMajorAmount } from '../core/money/parse.js';
import { openRuntime } from './runtime.js';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

function decimal(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
  return n;
}

interface RunOptions {
  asOf: string;
  dryRun?: boolean;
  json?: boolean;
  lookbackMonths?: number;
  horizonMonths?: number;
  lossDpd?: number;
  overlay?: number;
  overlayReason?: string;
  method?: 'loss_rate' | 'roll_rate';
  segmentBy?: 'none' | 'segment';
  overlayFromCycle?: boolean;
}

/** `fulcrum provisions run` (CONTRACT.md): the ECL reserve as of a date, kept as a draft run unless --dry-run. */
export function registerProvisionCommands(program: Command): void {
  program
    .command('provisions')
    .description('the expected-credit-loss reserve (IFRS 9 / CAS 22, simplified approach)')
    .command('run')
    .description(
      'compute the reserve as of a date from the loss-rate matrix; keep it as a draft run unless --dry-run',
    )
    .requiredOption('--as-of <date>', 'YYYY-MM-DD, usually a month-end')
    .option('--dry-run', 'compute and show, keep nothing')
    .option('--json', 'print the result as one JSON line')
    .option('--lookback-months <n>', 'month-ends the loss rates average over (default 24)', wholeNumber)
    .option(
      '--horizon-months <n>',
      'months after a month-end its losses are counted (default 12)',
      wholeNumber,
    )
    .option(
      '--loss-dpd <n>',
      'still open this many days past due at the horizon counts as lost (default 365; 0: write-offs only)',
      wholeNumber,
    )
    .option('--overlay <x>', 'forward-looking factor on every rate (default 1)', decimal)
    .option('--overlay-reason <text>', 'why the overlay (required with one)')
    .option(
      '--overlay-from-cycle',
      "the overlay is the economic cycle's PD scale for the regime as of the date",
    )
    .addOption(
      new Option(
        '--segment-by <key>',
        'a matrix per customer segment where its history supports it (default none)',
      ).choices(['none', 'segment']),
    )
    .addOption(
      new Option('--method <method>', 'how the rates are learnt (default loss_rate)').choices([
        'loss_rate',
        'roll_rate',
      ]),
    )
    .action(async (options: RunOptions) => {
      const { services } = await openRuntime();
      try {
        const result = await computeProvision(services, options.asOf, {
          ...(options.lookbackMonths === undefined ? {} : { lookbackMonths: options.lookbackMonths }),
          ...(options.horizonMonths === undefined ? {} : { horizonMonths: options.horizonMonths }),
          ...(options.lossDpd === undefined ? {} : { lossDaysPastDue: options.lossDpd }),
          ...(options.overlay === undefined ? {} : { overlay: options.overlay }),
          ...(options.overlayReason === undefined ? {} : { overlayReason: options.overlayReason }),
          ...(options.method === undefined ? {} : { method: options.method }),
          ...(options.segmentBy === undefined ? {} : { segmentBy: options.segmentBy }),
          ...(options.overlayFromCycle ? { overlayFromCycle: true } : {}),
        });
        const run = options.dryRun ? null : await recordProvisionRun(services, 'cli:provisions', result);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ...result, run })}\n`);
          return;
        }
        const major = (minor: number) => formatMajorAmount(minor, result.currency as CurrencyCode);
        process.stdout.write(
          `ECL reserve as of ${result.asOf}: ${major(result.reserveMinor)} ${result.currency} (${result.settings.method.replace('_', '-')} method, rates from ${result.monthEnds.length} month-ends)\n`,
        );
        for (const b of result.buckets)
          process.stdout.write(
            `  ${b.bucket.padEnd(8)} open ${major(b.openMinor).padStart(16)}  rate ${(b.lossRate * 100).toFixed(2).padStart(6)} %  reserve ${major(b.reserveMinor).padStart(14)}\n`,
          );
        for (const x of result.specific)
          process.stdout.write(
            `  specific ${x.customerName}: open ${major(x.openMinor)}, reserve ${major(x.reserveMinor)}\n`,
          );
        if (result.coverReliefMinor > 0)
          process.stdout.write(
            `  net of insurance and collateral: ${major(result.coverReliefMinor)} less than without them\n`,
          );
        if (result.movement)
          process.stdout.write(
            `  movement: opening ${major(result.movement.openingMinor)} + charge ${major(result.movement.chargeMinor)} − release ${major(result.movement.releaseMinor)} − utilisation ${major(result.movement.utilisationMinor)} = ${major(result.movement.closingMinor)}\n`,
          );
        process.stdout.write(
          run ? `kept as draft run ${run.id}: finance approves it (four eyes)\n` : 'dry run: nothing kept\n',
        );
      } finally {
        await services.store.close();
      }
    });
}
