import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import {
  generateCheckpointKeys,
  parseCheckpoint,
  takeCheckpoint,
  verifyCheckpoint,
} from '../app/audit/checkpoint.js';
import { verifyAuditChain } from '../app/audit/verify-audit.js';
import { runDunning } from '../app/collections/dunning-run.js';
import { smtpMailer } from '../app/collections/mailer.js';
import { type ImportEncoding, parseEncoding } from '../app/imports/decode-text.js';
import { IMPORT_KINDS, type ImportKindName, isImportKind } from '../app/imports/kinds/index.js';
import { IMPORT_MODES, type ImportMode } from '../app/imports/run-import.js';
import { refreshLatePaymentScores } from '../app/scoring/late-payment-scores.js';
import { loadConfig } from '../config.js';
import { DomainError } from '../core/errors.js';
import { parseBusinessDate } from '../core/time/business-date.js';
import { seedDemoBookIfEmpty } from '../demo/seed.js';
import { openStore } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { registerAlertCommands } from './alerts.js';
import { importCsv } from './csv-import.js';
import { registerExportCommands } from './export.js';
import { registerForecastCommands } from './forecast.js';
import { registerIngestCommands } from './ingest.js';
import { registerModelCommands } from './model.js';
import { registerProviderCommands } from './providers.js';
import { registerProvisionCommands } from './provisions.js';
import { openRuntime } from './runtime.js';
import { registerSimulateCommands } from './simulate.js';

const MAX_REPORTED_PROBLEMS = 200;

/** The version in package.json, beside the compiled bundle. */
function packageVersion(): string {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

// Output piped into a reader that stops early (`| head`): nothing more to say, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command()
  .name('fulcrum')
  .description(
    'Fulcrum trade credit control. Reads PORT, HOST, FULCRUM_DATA_DIR, DATABASE_URL, FULCRUM_DEMO, FULCRUM_BOOTSTRAP_KEY.',
  )
  .version(packageVersion(), '-V, --version', 'the version of Fulcrum')
  .exitOverride()
  .showHelpAfterError();

// The server (and all it loads) is imported only to serve: every other command starts lighter.
program
  .command('serve')
  .description('run the HTTP server and dashboard (what npm start runs)')
  .action(async () => (await import('./serve.js')).serve());

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
      const summary = await seedDemoBookIfEmpty(services, {}, (step) => process.stderr.write(`${step}\n`));
      if (!summary) {
        process.stderr.write(
          'the database already holds customers: the demo is only seeded into an empty book\n',
        );
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } finally {
      await services.store.close();
    }
  });

registerModelCommands(program);
registerProvisionCommands(program);
registerExportCommands(program);
registerIngestCommands(program);
registerProviderCommands(program);
registerAlertCommands(program);
registerForecastCommands(program);
registerSimulateCommands(program);

const audit = program.command('audit').description('the tamper-evident audit trail');

audit
  .command('verify')
  .description(
    'recompute the hash chain; exit 1 naming the first edited, deleted, inserted or reordered entry',
  )
  .option('--checkpoint <file>', 'also check the chain against a signed checkpoint (JSON)')
  .option('--public-key <file>', 'the Ed25519 public key (PEM) that signed the checkpoint')
  .action(async (options: { checkpoint?: string; publicKey?: string }) => {
    if (Boolean(options.checkpoint) !== Boolean(options.publicKey))
      throw new InvalidArgumentError('--checkpoint and --public-key go together');
    const { services } = await openRuntime();
    try {
      const started = performance.now();
      const verdict = await verifyAuditChain(services.store.db);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (!verdict.ok) {
        process.stderr.write(
          `audit chain broken at entry ${verdict.seq}: ${verdict.problem} — ${verdict.detail}\n`,
        );
        process.exitCode = 1;
        return;
      }
      // Judged against the checkpoint before anything is called intact.
      if (options.checkpoint && options.publicKey) {
        const checkpoint = parseCheckpoint(readFileSync(options.checkpoint, 'utf8'));
        const against = await verifyCheckpoint(
          services.store.db,
          checkpoint,
          readFileSync(options.publicKey, 'utf8'),
        );
        if (!against.ok) {
          process.stderr.write(`checkpoint check failed: ${against.problem} — ${against.detail}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(
          `checkpoint of ${checkpoint.takenAt} holds: entries 1–${checkpoint.seq} are as they were then\n`,
        );
      }
      process.stdout.write(
        `audit chain intact: ${verdict.count} entries, head ${verdict.headHash} (${seconds} s)\n`,
      );
    } finally {
      await services.store.close();
    }
  });

audit
  .command('keygen')
  .description('make an Ed25519 key pair for signing checkpoints (keep the private key off this server)')
  .requiredOption('--out <dir>', 'where to write checkpoint-key.pem (mode 0600) and checkpoint-key.pub.pem')
  .action((options: { out: string }) => {
    const keys = generateCheckpointKeys();
    mkdirSync(options.out, { recursive: true });
    const privateFile = join(options.out, 'checkpoint-key.pem');
    writeFileSync(privateFile, keys.privateKeyPem, { mode: 0o600, flag: 'wx' });
    writeFileSync(join(options.out, 'checkpoint-key.pub.pem'), keys.publicKeyPem, { flag: 'wx' });
    process.stdout.write(`wrote ${privateFile} and checkpoint-key.pub.pem\n`);
  });

audit
  .command('checkpoint')
  .description('sign the chain head (count, hash, time) with an Ed25519 key; keep the output elsewhere')
  .requiredOption('--key <file>', 'the Ed25519 private key (PEM)')
  .option('--out <file>', 'write the checkpoint here instead of standard output')
  .action(async (options: { key: string; out?: string }) => {
    const { services } = await openRuntime();
    try {
      const checkpoint = await takeCheckpoint(
        services.store.db,
        readFileSync(options.key, 'utf8'),
        services.clock.now(),
      );
      const text = `${JSON.stringify(checkpoint)}\n`;
      if (options.out) writeFileSync(options.out, text);
      else process.stdout.write(text);
    } finally {
      await services.store.close();
    }
  });

function encodingOption(value: string): ImportEncoding {
  try {
    return parseEncoding(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function importKind(value: string): ImportKindName {
  if (!isImportKind(value))
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
        format: 'dunning [{bar}] {percentage}% {value}/{total} customers',
        hideCursor: true,
      });
      let started = false;
      const summary = await runDunning(services, 'cli', mailer, runOn, (done, total) => {
        if (!started && total >= 5_000) {
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

function importMode(value: string): ImportMode {
  if (!(IMPORT_MODES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${IMPORT_MODES.join(', ')}`);
  return value as ImportMode;
}

program
  .command('import')
  .description(
    'import a CSV or XLSX (see README), all or nothing; exit 1 with a report naming every problem of every row',
  )
  .argument('<kind>', Object.keys(IMPORT_KINDS).join(' | '), importKind)
  .argument(
    '<file>',
    'CSV (header row, comma-separated — `;`, tab and `|` are recognised — amounts in major units) or XLSX (first sheet, same header)',
  )
  .option('--no-progress', 'no progress bar')
  .option(
    '--encoding <encoding>',
    'utf8 | gb18030 | latin1: the file’s text encoding',
    encodingOption,
    'utf8',
  )
  .option(
    '--mode <mode>',
    'insert: every row new | upsert: insert new rows, update what may change, count the unchanged',
    importMode,
    'insert',
  )
  .option('--skip-existing', 'leave rows already in the book alone and insert the rest')
  .action(
    async (
      kind: ImportKindName,
      file: string,
      options: { progress: boolean; encoding: ImportEncoding; mode: ImportMode; skipExisting?: boolean },
    ) => {
      if (options.skipExisting && options.mode === 'upsert')
        throw new InvalidArgumentError('--skip-existing and --mode upsert exclude each other');
      // Before the store is opened, so a typo creates no data directory.
      if (!existsSync(file)) throw new InvalidArgumentError(`${file}: no such file`);
      const { services } = await openRuntime();
      const started = performance.now();
      try {
        const result = await importCsv(services, kind, file, {
          actor: 'cli:import',
          progress: options.progress,
          encoding: options.encoding,
          mode: options.skipExisting ? 'skip-existing' : options.mode,
        });
        if (result.ok) {
          const seconds = (performance.now() - started) / 1000;
          const separator =
            result.delimiter === ',' ? '' : ` (read as ${JSON.stringify(result.delimiter)}-separated)`;
          const asRequests = kind === 'limits' ? ' as limit requests waiting for approval' : '';
          process.stdout.write(
            `imported ${result.imported} ${kind}${asRequests} (updated ${result.updated}, unchanged ${result.unchanged}, skipped ${result.skipped}) from ${file}${separator} in ${seconds.toFixed(1)} s\n`,
          );
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
    },
  );

program
  .command('scores')
  .description('behavioural scoring')
  .command('refresh')
  .description(
    'train the late-payment model on the stored history, back-test it, make it the champion and score every customer',
  )
  .action(async () => {
    const { services } = await openRuntime();
    try {
      const result = await refreshLatePaymentScores(services, 'cli');
      const b = result.backTest;
      process.stdout.write(
        `model ${result.modelId}: ${result.trainingRows} invoices; back-test ${b ? `AUC ${b.auc}, KS ${b.ks}, Brier ${b.brier} on ${b.testRows} later invoices` : 'not possible (too little history)'}; ${result.customersScored} customers scored in ${result.seconds} s\n`,
      );
    } finally {
      await services.store.close();
    }
  });

/**
 * Exit codes: 1 the data were refused (a bad row, a model that cannot be fitted, a broken chain),
 * 2 the command was invoked wrongly (an option, a missing file), 3 Fulcrum itself failed.
 */
await program.parseAsync(process.argv).catch((error: unknown) => {
  // Commander has said what was wrong (or shown the help or version it was asked for).
  if (error instanceof CommanderError && !(error instanceof InvalidArgumentError)) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  process.stderr.write(`fulcrum: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof InvalidArgumentError ? 2 : error instanceof DomainError ? 1 : 3;
});
