import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { verifyAuditChain } from '../app/audit/verify-audit.js';
import { runDunning } from '../app/collections/dunning-run.js';
import { smtpMailer } from '../app/collections/mailer.js';
import { loadConfig } from '../config.js';
import { parseBusinessDate } from '../core/time/business-date.js';
import { isBookEmpty, seedDemoBook } from '../demo/seed.js';
import { openStore } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { IMPORT_KINDS, type ImportKindName, importCsv } from './csv-import.js';
import { registerModelCommands } from './model.js';
import { openRuntime } from './runtime.js';
import { serve } from './serve.js';

const MAX_REPORTED_PROBLEMS = 200;

const program = new Command()
  .name('fulcrum')
  .description(
    'Fulcrum trade credit control. Reads PORT, HOST, FULCRUM_DATA_DIR, DATABASE_URL, FULCRUM_DEMO, FULCRUM_BOOTSTRAP_KEY.',
  )
  .showHelpAfterError();

program.command('serve').description('run the HTTP server and dashboard (what npm start runs)').action(serve);

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const store = openStore(loadConfig().store);
    const applied = await migrateToLatest(store);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    await store.close();
  });

program
  .command('demo')
  .description('the demo portfolio')
  .command('seed')
  .description('seed an empty database with the demo portfolio (about 500 customers, 24 months)')
  .action(async () => {
    const { services } = await openRuntime();
    try {
      if (!(await isBookEmpty(services))) {
        process.stderr.write(
          'the database already holds customers: the demo is only seeded into an empty book\n',
        );
        process.exitCode = 1;
        return;
      }
      const summary = await seedDemoBook(services, {}, (step) => process.stderr.write(`${step}\n`));
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } finally {
      await services.store.close();
    }
  });

registerModelCommands(program);

program
  .command('audit')
  .description('the tamper-evident audit trail')
  .command('verify')
  .description(
    'recompute the hash chain; exit 1 naming the first edited, deleted, inserted or reordered entry',
  )
  .action(async () => {
    const { services } = await openRuntime();
    try {
      const started = performance.now();
      const verdict = await verifyAuditChain(services.store.db);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (verdict.ok) {
        process.stdout.write(
          `audit chain intact: ${verdict.count} entries, head ${verdict.headHash} (${seconds} s)\n`,
        );
      } else {
        process.stderr.write(
          `audit chain broken at entry ${verdict.seq}: ${verdict.problem} — ${verdict.detail}\n`,
        );
        process.exitCode = 1;
      }
    } finally {
      await services.store.close();
    }
  });

function importKind(value: string): ImportKindName {
  if (!(value in IMPORT_KINDS))
    throw new InvalidArgumentError(`must be one of ${Object.keys(IMPORT_KINDS).join(', ')}`);
  return value as ImportKindName;
}

program
  .command('dunning')
  .description('collections: reminders, letters, call tasks, stop supply')
  .command('run')
  .description('take every dunning step due on a day; safe to repeat (nothing is sent twice)')
  .option('--date <YYYY-MM-DD>', 'the run date (default today)')
  .action(async (options: { date?: string }) => {
    const { config, services } = await openRuntime();
    try {
      const runOn = options.date ? parseBusinessDate(options.date, 'date') : services.clock.today();
      const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : null;
      // On stderr, so stdout carries only the summary line.
      const bar = new SingleBar({
        format: 'dunning [{bar}] {percentage}% {value}/{total} invoices',
        hideCursor: true,
      });
      let started = false;
      const summary = await runDunning(services, 'cli', mailer, runOn, (done, total) => {
        if (!started && total >= 10_000) {
          bar.start(total, 0);
          started = true;
        }
        if (started) bar.update(done);
      });
      if (started) bar.stop();
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      if (!mailer)
        process.stderr.write('FULCRUM_SMTP_URL is not set: e-mails were written to the outbox only\n');
      if (summary.emailsFailed.length > 0) process.exitCode = 1;
    } finally {
      await services.store.close();
    }
  });

program
  .command('import')
  .description('import a canonical CSV (see README), all or nothing; exit 1 with a report on any bad row')
  .argument('<kind>', 'customers | invoices | payments', importKind)
  .argument('<file>', 'CSV file: UTF-8, header row, comma-separated, amounts in major units')
  .option('--no-progress', 'no progress bar')
  .action(async (kind: ImportKindName, file: string, options: { progress: boolean }) => {
    const { services } = await openRuntime();
    const started = performance.now();
    try {
      const result = await importCsv(services, kind, file, {
        actor: 'cli:import',
        progress: options.progress,
      });
      if (result.ok) {
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(`imported ${result.imported} ${kind} from ${file} in ${seconds.toFixed(1)} s\n`);
        return;
      }
      process.stderr.write(`${file}: ${result.problems.length} problem(s); nothing was imported\n`);
      for (const p of result.problems.slice(0, MAX_REPORTED_PROBLEMS)) {
        process.stderr.write(
          `row ${p.row} (line ${p.line}), column ${p.column || '-'}: ${p.code}: ${p.reason}\n`,
        );
      }
      if (result.problems.length > MAX_REPORTED_PROBLEMS) {
        process.stderr.write(`… and ${result.problems.length - MAX_REPORTED_PROBLEMS} more\n`);
      }
      process.exitCode = 1;
    } finally {
      await services.store.close();
    }
  });

await program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`fulcrum: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
