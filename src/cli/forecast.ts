import type { Command } from 'commander';
import { cashForecast, forecastBacktest } from '../app/forecast/payment-forecast.js';
import { openRuntime } from './runtime.js';

const days = (x: number | null) => (x === null ? '–' : x.toFixed(1));
const share = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);

/** `fulcrum forecast …`: when open invoices will be paid (D4). */
export function registerForecastCommands(program: Command): void {
  const forecast = program
    .command('forecast')
    .description('payment dates of open invoices and the cash they bring');
  forecast
    .command('cash')
    .description('expected cash-in by week from every open invoice’s forecast payment date')
    .option('--weeks <n>', 'weeks ahead (default 13)', Number)
    .option('--json', 'print the result as one JSON line')
    .action(async (options: { weeks?: number; json?: boolean }) => {
      const { services } = await openRuntime();
      try {
        const r = await cashForecast(services, options.weeks === undefined ? {} : { weeks: options.weeks });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        for (const w of r.weeks)
          process.stdout.write(
            `${w.from} … ${w.to}  ${(w.expectedMinor / 100).toFixed(2).padStart(18)} ${r.currency}\n`,
          );
        process.stdout.write(
          `later: ${(r.laterMinor / 100).toFixed(2)} ${r.currency} of ${(r.openMinor / 100).toFixed(2)} open\n`,
        );
      } finally {
        await services.store.close();
      }
    });
  forecast
    .command('backtest')
    .description(
      'the forecast’s error in days against the naive one, over invoices paid between two dates (each forecast as of its issue day)',
    )
    .requiredOption('--from <date>', 'YYYY-MM-DD')
    .requiredOption('--to <date>', 'YYYY-MM-DD')
    .option('--json', 'print the result as one JSON line')
    .action(async (options: { from: string; to: string; json?: boolean }) => {
      const { services } = await openRuntime();
      try {
        const r = await forecastBacktest(services, options);
        process.stdout.write(
          options.json
            ? `${JSON.stringify(r)}\n`
            : `${r.invoices} invoices paid ${r.from} … ${r.to}: forecast MAE ${days(r.model.meanAbsoluteErrorDays)} days, ${share(r.model.within7DaysShare)} within ±7 days; naive MAE ${days(r.naive.meanAbsoluteErrorDays)} days, ${share(r.naive.within7DaysShare)} within ±7 days\n`,
        );
      } finally {
        await services.store.close();
      }
    });
}
