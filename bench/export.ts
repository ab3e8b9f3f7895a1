/**
 * The invoice ledger exported whole (issue 18: an XLSX of 1,000,000 invoices streamed ≤ 30 s with
 * memory under 300 MB): `fulcrum export invoices` (the reader and writer of `GET /v1/invoices/export`)
 * run against a bulk-loaded book in its own process, timed, with its peak resident memory.
 * Usage: npm run bench:export [-- INVOICES CUSTOMERS]   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  benchCustomers,
  CUSTOMER_COLUMNS,
  CUSTOMER_TYPES,
  INVOICE_COLUMNS,
  INVOICE_TYPES,
  loadedStore,
  PROFILE_COLUMNS,
  PROFILE_TYPES,
  seeded,
} from './bulk-load.js';

const invoices = Number(process.argv[2] ?? 1_000_000);
const customers = Number(process.argv[3] ?? 50_000);
const CREATED = '2026-11-30T00:00:00.000Z';

function book() {
  const rows = { ...benchCustomers(customers, CREATED), invoices: [] as unknown[][] };
  const next = seeded(11);
  for (let i = 0; i < invoices; i++) {
    const amount = 1_000 + (next() % 5_000_000);
    const open = i % 4 === 0 ? amount : 0;
    const day = 1 + (i % 28);
    rows.invoices.push([
      `inv_${String(i).padStart(8, '0')}`,
      `PI${i}`,
      `cus_${String(i % customers).padStart(7, '0')}`,
      null,
      `INV-${i}`,
      `2026-10-${String(day).padStart(2, '0')}`,
      `2026-11-${String(day).padStart(2, '0')}`,
      amount,
      'CNY',
      open,
      open ? null : '2026-11-20',
      CREATED,
    ]);
  }
  return rows;
}

async function main() {
  const dialect = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
  const rows = book();
  const { store, cleanup } = await loadedStore([
    { table: 'customers', columns: CUSTOMER_COLUMNS, types: CUSTOMER_TYPES, rows: rows.customers },
    { table: 'credit_profiles', columns: PROFILE_COLUMNS, types: PROFILE_TYPES, rows: rows.profiles },
    { table: 'invoices', columns: INVOICE_COLUMNS, types: INVOICE_TYPES, rows: rows.invoices },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-bench-export-'));
  const location = store.location;
  // The CLI against the loaded book, as a user runs it: its own process, so its memory is its own.
  const env = {
    ...process.env,
    ...(location.dialect === 'sqlite'
      ? { FULCRUM_DATA_DIR: dirname(location.file), DATABASE_URL: '' }
      : {
          DATABASE_URL: `${location.url}${location.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${location.searchPath}`)}`,
        }),
  };
  const results: Record<string, { seconds: number; peakMb: number; fileMb: number; rows: number }> = {};
  try {
    for (const format of ['xlsx', 'csv']) {
      const file = join(dir, `invoices.${format}`);
      const run = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%e %M',
          process.execPath,
          'bin/fulcrum.js',
          'export',
          'invoices',
          '--format',
          format,
          '--out',
          file,
        ],
        { env, encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`fulcrum export failed: ${run.stderr}`);
      const [seconds = 'NaN', peakKb = 'NaN'] = run.stderr.trim().split('\n').at(-1)?.split(' ') ?? [];
      results[format] = {
        seconds: Number(seconds),
        peakMb: Number(peakKb) / 1024,
        fileMb: statSync(file).size / 2 ** 20,
        rows: Number(run.stdout.match(/^(\d+) invoices/)?.[1]),
      };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.KEEP_BENCH_DB) console.log('kept', store.location);
    else await cleanup();
  }
  console.log(
    `\n${dialect}\n| fulcrum export invoices | rows | time | peak resident memory | file |\n| --- | --- | --- | --- | --- |`,
  );
  for (const [format, r] of Object.entries(results))
    console.log(
      `| --format ${format} | ${r.rows.toLocaleString('en')} | ${r.seconds.toFixed(1)} s | ${r.peakMb.toFixed(0)} MB | ${r.fileMb.toFixed(0)} MB |`,
    );
  console.log(JSON.stringify({ bench: 'export', dialect, invoices, ...results }));
}

await main();
