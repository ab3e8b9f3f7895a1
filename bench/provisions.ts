/**
 * The month-end provision on a large book with history (issue 17 targets, SQLite: the matrix from
 * 24 month-ends ≤ 5 s, a month-end run ≤ 2 s; PostgreSQL reported). 1,000,000 invoices issued over
 * 36 months, most paid within their terms or late, some never (written off 180 days past due).
 * The first run learns from the histories and keeps each month-end's totals; the runs after it read
 * those and only the items open at the date.
 * Usage: npm run bench:provisions [-- INVOICES CUSTOMERS]   (DATABASE_URL=postgres://… for PostgreSQL)
 */

import { keptTotals, ledgerChanges } from '../src/app/provisions/month-end-totals.js';
import { computeProvision, readReceivableHistories } from '../src/app/provisions/provision-run.js';
import type { Services } from '../src/app/services.js';
import { historySource } from '../src/core/provisions/cohort-source.js';
import { learnMatrix } from '../src/core/provisions/learn-matrix.js';
import { DEFAULT_PROVISION_SETTINGS } from '../src/core/provisions/provision-matrix.js';
import { addDays, addMonths, type BusinessDate, monthEnd } from '../src/core/time/business-date.js';
import {
  ALLOCATION_COLUMNS,
  ALLOCATION_TYPES,
  benchCustomers,
  CUSTOMER_COLUMNS,
  CUSTOMER_TYPES,
  INVOICE_COLUMNS,
  INVOICE_TYPES,
  loadedStore,
  PAYMENT_COLUMNS,
  PAYMENT_TYPES,
  PROFILE_COLUMNS,
  PROFILE_TYPES,
  seeded,
  timed,
} from './bulk-load.js';

const invoices = Number(process.argv[2] ?? 1_000_000);
const customers = Number(process.argv[3] ?? 50_000);
const TODAY = '2026-11-30' as BusinessDate;
const CREATED = '2026-11-30T00:00:00.000Z';
const RUN_DAY = '2026-12-03' as BusinessDate;
const PREVIOUS_MONTH_END = '2026-10-31' as BusinessDate;
const SPAN_DAYS = 36 * 30;

function book() {
  const rows = {
    ...benchCustomers(customers, CREATED),
    invoices: [] as unknown[][],
    payments: [] as unknown[][],
    allocations: [] as unknown[][],
    writeOffs: [] as unknown[][],
  };
  const next = seeded(7);

  for (let i = 0; i < invoices; i++) {
    const id = `inv_${String(i).padStart(8, '0')}`;
    const customer = `cus_${String(i % customers).padStart(7, '0')}`;
    const issue = addDays(TODAY, -(next() % SPAN_DAYS));
    const due = addDays(issue, [30, 60, 90][i % 3] ?? 30);
    const amount = 1_000 + (next() % 500_000);
    // 3 % of customers default: their invoices are never paid and written off at 180 days past due.
    const defaulted = (i % customers) % 33 === 0;
    const paidOn = defaulted ? null : addDays(due, (next() % 90) - 20);
    const writeOffOn = defaulted ? addDays(due, 180) : null;
    const settled =
      paidOn && paidOn <= TODAY ? paidOn : writeOffOn && writeOffOn <= TODAY ? writeOffOn : null;
    rows.invoices.push([
      id,
      `PI${i}`,
      customer,
      null,
      `INV-${i}`,
      issue,
      due,
      amount,
      'CNY',
      settled ? 0 : amount,
      settled,
      CREATED,
    ]);
    if (paidOn && paidOn <= TODAY) {
      rows.payments.push([`pay_${i}`, `PP${i}`, customer, paidOn, amount, 'CNY', 0, CREATED]);
      rows.allocations.push([`alc_${i}`, `pay_${i}`, id, amount, paidOn, CREATED]);
    } else if (writeOffOn && writeOffOn <= TODAY)
      rows.writeOffs.push([
        `crn_${i}`,
        `PW${i}`,
        customer,
        id,
        writeOffOn,
        amount,
        'CNY',
        'write_off',
        'insolvent',
        CREATED,
      ]);
  }
  return rows;
}

async function main() {
  const dialect = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
  const started = performance.now();
  const rows = book();
  const { store, cleanup } = await loadedStore([
    { table: 'customers', columns: CUSTOMER_COLUMNS, types: CUSTOMER_TYPES, rows: rows.customers },
    { table: 'credit_profiles', columns: PROFILE_COLUMNS, types: PROFILE_TYPES, rows: rows.profiles },
    { table: 'invoices', columns: INVOICE_COLUMNS, types: INVOICE_TYPES, rows: rows.invoices },
    { table: 'payments', columns: PAYMENT_COLUMNS, types: PAYMENT_TYPES, rows: rows.payments },
    { table: 'allocations', columns: ALLOCATION_COLUMNS, types: ALLOCATION_TYPES, rows: rows.allocations },
    {
      table: 'credit_notes',
      columns:
        'id, external_id, customer_id, invoice_id, issued_on, amount_minor, currency, kind, reason, created_at',
      types: ['text', 'text', 'text', 'text', 'text', 'int8', 'text', 'text', 'text', 'text'],
      rows: rows.writeOffs,
    },
  ]);
  const loadSeconds = (performance.now() - started) / 1000;
  let n = 0;
  const services: Services = {
    store,
    // November's run, made on 3 December while December's payments come in.
    clock: { today: () => RUN_DAY, now: () => new Date(`${RUN_DAY}T08:00:00.000Z`) },
    ids: { next: (prefix) => `${prefix}_${String(++n).padStart(10, '0')}` },
  } as Services;
  try {
    const settings = DEFAULT_PROVISION_SETTINGS;
    const since = monthEnd(addMonths(TODAY, -(settings.horizonMonths + settings.lookbackMonths + 1)));
    const read = await timed(() => readReceivableHistories(store.db, TODAY, since, 'CNY' as never));
    const matrix = await timed(async () => learnMatrix(historySource(read.result), TODAY, settings));
    const rollMatrix = await timed(async () =>
      learnMatrix(historySource(read.result), TODAY, { ...settings, method: 'roll_rate' }),
    );
    // The first run (October's) learns from the histories and keeps each month-end's totals; when
    // November closes, its run computes only the month-end that closed; later runs read them all.
    const firstRun = await timed(() => computeProvision(services, PREVIOUS_MONTH_END));
    const closing = await timed(() => computeProvision(services, TODAY));
    const keptMatrix = await timed(async () => {
      const kept = await keptTotals(
        store.db,
        await ledgerChanges(store.db),
        { from: since, to: TODAY },
        async () => () => 1,
      );
      return { learnt: learnMatrix(kept.sourceWith(null), TODAY, settings), missed: kept.missing.length };
    });
    const run = await timed(() => computeProvision(services, TODAY), 3);
    // A payment dated after the run's month-end leaves the kept month-ends true.
    await store.db
      .insertInto('allocations')
      .values({
        id: 'alc_bench',
        payment_id: 'pay_1',
        invoice_id: 'inv_00000001',
        amount_minor: 1,
        applied_on: '2026-12-02',
        created_at: CREATED,
      })
      .execute();
    const afterToday = await timed(() => computeProvision(services, TODAY));
    if (JSON.stringify(run.result) !== JSON.stringify(closing.result))
      throw new Error('a run from kept totals differs from the run that computed them');
    const table = [
      [
        'invoices / customers',
        `${invoices.toLocaleString('en')} / ${customers.toLocaleString('en')}`,
        `loaded in ${loadSeconds.toFixed(1)} s`,
      ],
      [
        'read the history (3 years, to the as-of date)',
        `${read.seconds.toFixed(2)} s`,
        `${read.result.length.toLocaleString('en')} invoices`,
      ],
      [
        'matrix from 24 month-ends of histories, loss-rate',
        `${matrix.seconds.toFixed(2)} s`,
        `${matrix.result?.monthEnds.length} month-ends`,
      ],
      ['matrix from 24 month-ends of histories, roll-rate', `${rollMatrix.seconds.toFixed(2)} s`, ''],
      [
        'matrix from 24 kept month-end totals (read + learn)',
        `${keptMatrix.seconds.toFixed(3)} s`,
        `${keptMatrix.result.learnt?.monthEnds.length} month-ends, ${keptMatrix.result.missed} missing`,
      ],
      [
        'first run on the book, as of 2026-10-31 (whole window read, its 24 month-end totals kept)',
        `${firstRun.seconds.toFixed(2)} s`,
        `reserve ${(firstRun.result.reserveMinor / 100).toLocaleString('en')} CNY`,
      ],
      [
        'November closed: run as of 2026-11-30 (the month-end whose horizon just passed computed)',
        `${closing.seconds.toFixed(2)} s`,
        `reserve ${(closing.result.reserveMinor / 100).toLocaleString('en')} CNY`,
      ],
      [
        'month-end provision run (kept totals + open items + reserve, median of 3)',
        `${run.seconds.toFixed(2)} s`,
        `reserve ${(run.result.reserveMinor / 100).toLocaleString('en')} CNY (the same)`,
      ],
      [
        'the run again after a payment dated 2 December',
        `${afterToday.seconds.toFixed(2)} s`,
        'past months unchanged',
      ],
    ];
    console.log(`\n${dialect}\n| measure | value | note |\n| --- | --- | --- |`);
    for (const r of table) console.log(`| ${r.join(' | ')} |`);
    console.log(
      JSON.stringify({
        bench: 'provisions',
        dialect,
        invoices,
        readSeconds: read.seconds,
        lossRateMatrixSeconds: matrix.seconds,
        rollRateMatrixSeconds: rollMatrix.seconds,
        keptMatrixSeconds: keptMatrix.seconds,
        firstRunSeconds: firstRun.seconds,
        monthClosedRunSeconds: closing.seconds,
        runSeconds: run.seconds,
        runAfterLaterPaymentSeconds: afterToday.seconds,
        reserveMinor: run.result.reserveMinor,
      }),
    );
  } finally {
    if (process.env.KEEP_BENCH_DB) console.log('kept', store.location);
    else await cleanup();
  }
}

await main();
