import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { backtestAlerts } from '../app/monitoring/alerts-backtest.js';
import { runMonitoring } from '../app/monitoring/monitoring-run.js';
import { parseWarningRules, SEVERITIES, type Severity } from '../core/monitoring/warning-rules.js';
import { openRuntime } from './runtime.js';

interface BacktestOptions {
  from: string;
  to: string;
  json?: boolean;
  rules?: string;
  warnFrom?: Severity;
  lossDpd?: number;
}

function wholeDays(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650)
    throw new InvalidArgumentError('must be whole days from 1 to 3650');
  return n;
}

const shown = (days: number | null) => (days === null ? '–' : days.toFixed(0));

/** `fulcrum alerts …`: early warning from the command line. */
export function registerAlertCommands(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('early warning: warning rules and the alerts they raise');
  alerts
    .command('run')
    .description(
      'evaluate the warning rules for every customer now (the daily job): raise new alerts, end finished episodes',
    )
    .option('--as-of <date>', 'YYYY-MM-DD, today when omitted (never a future day)')
    .option('--json', 'print the result as one JSON line')
    .action(async (options: { asOf?: string; json?: boolean }) => {
      const { services } = await openRuntime();
      try {
        const r = await runMonitoring(services, 'cli:alerts', options.asOf);
        process.stdout.write(
          options.json
            ? `${JSON.stringify(r)}\n`
            : `as of ${r.asOf}: ${r.customers} customers watched with rules v${r.rulesVersion}, ${r.raised} alerts raised, ${r.ended} episodes ended (${r.cleared} cleared unhandled)\n`,
        );
      } finally {
        await services.store.close();
      }
    });
  alerts
    .command('backtest')
    .description(
      'replay the warning rules day by day over a window (each day seeing only what was known by then) and measure how early they warned of the customers who defaulted',
    )
    .requiredOption('--from <date>', 'first day of the window, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day of the window, YYYY-MM-DD')
    .option('--json', 'print the result as one JSON line')
    .option('--rules <file>', 'a warning rule set (JSON) to try instead of the active one')
    .addOption(
      new Option('--warn-from <severity>', 'the least severity that counts as a warning')
        .choices(SEVERITIES)
        .default('high'),
    )
    .option('--loss-dpd <days>', 'days past due that count as a default (default 90)', wholeDays)
    .action(async (options: BacktestOptions) => {
      const rules = options.rules
        ? parseWarningRules(JSON.parse(readFileSync(options.rules, 'utf8')))
        : undefined;
      const { services } = await openRuntime();
      try {
        const result = await backtestAlerts(services, {
          from: options.from,
          to: options.to,
          ...(rules ? { rules } : {}),
          ...(options.warnFrom ? { warnFrom: options.warnFrom } : {}),
          ...(options.lossDpd === undefined ? {} : { lossDaysPastDue: options.lossDpd }),
        });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
          return;
        }
        const lead = result.leadDays;
        process.stdout.write(
          `${result.from} … ${result.to}: ${result.customers} customers, ${result.defaulters} defaulted, ${result.defaultersWarned} of them warned (lead days p25 ${shown(lead.p25)}, median ${shown(lead.median)}, p75 ${shown(lead.p75)}); ${result.warnedNotDefaulted} of ${result.warnedCustomers} warned customers did not default\n`,
        );
        for (const r of result.rules)
          process.stdout.write(
            `  ${r.ruleId.padEnd(20)} ${r.severity.padEnd(8)} alerts ${String(r.alerts).padStart(5)}  defaulters warned ${String(r.defaultersWarned).padStart(4)}/${r.defaulters}  median lead ${shown(r.leadDays.median).padStart(4)}  warned, no default ${r.warnedNotDefaulted}/${r.warnedCustomers}\n`,
          );
      } finally {
        await services.store.close();
      }
    });
}
