import { createWriteStream } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { sql } from 'kysely';
import {
  INVOICE_LEDGER_COLUMNS,
  type InvoiceLedgerFilter,
  invoiceLedger,
  invoiceLedgerCount,
} from '../app/exports/invoice-ledger.js';
import { type ExportFormat, writeTable } from '../app/exports/stream-table.js';
import { openRuntime } from './runtime.js';

interface ExportOptions {
  format: ExportFormat;
  out: string;
  customer?: string;
  status?: 'open' | 'settled';
}

/** `fulcrum export invoices`: the invoice ledger to a CSV or XLSX file, streamed, with its progress. */
export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .description('a whole book to a file, streamed (memory stays flat)')
    .command('invoices')
    .description('every invoice with its customer, amounts in major units')
    .addOption(new Option('--format <format>', 'csv or xlsx').choices(['csv', 'xlsx']).default('csv'))
    .requiredOption('--out <file>', 'the file to write')
    .option('--customer <id>', "one customer's invoices")
    .addOption(new Option('--status <status>', 'only open or settled ones').choices(['open', 'settled']))
    .action(async (options: ExportOptions) => {
      const { services } = await openRuntime();
      // One pass in key order gains nothing from a large page cache: keep this process small.
      if (services.store.dialect === 'sqlite')
        await sql`pragma cache_size = -8192`.execute(services.store.db);
      const filter: InvoiceLedgerFilter = { customerId: options.customer, status: options.status };
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: 'invoices [{bar}] {percentage}% {value}/{total}  {eta_formatted} left' })
        : null;
      try {
        bar?.start(await invoiceLedgerCount(services.store.db, filter), 0);
        const written = await writeTable(
          options.format,
          INVOICE_LEDGER_COLUMNS,
          invoiceLedger(services.store.db, filter),
          createWriteStream(options.out),
          (rows) => bar?.update(rows),
        );
        bar?.stop();
        process.stdout.write(`${written} invoices written to ${options.out}\n`);
      } finally {
        bar?.stop();
        await services.store.close();
      }
    });
}
