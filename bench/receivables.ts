/**
 * Whole-book aging, countback DSO and a dunning run over a large open book (issue E1/E2 targets:
 * aging ≤ 0.2 s on SQLite for 1,000,000 open invoices; dunning run ≤ 10 s).
 * The book is bulk-loaded straight into the tables (this measures the reports, not imports).
 * Usage: npm run bench:receivables [-- INVOICES CUSTOMERS]   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { sql } from 'kysely';
import { runDunning } from '../src/app/collections/dunning-run.js';
import { bookAging, monthlyDso } from '../src/app/receivables/receivables-report.js';
import type { Services } from '../src/app/services.js';
import { addDays, type BusinessDate } from '../src/core/time/business-date.js';
import type { Store } from '../src/store/db.js';
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
  timed,
} from './bulk-load.js';

const invoices = Number(process.argv[2] ?? 1_000_000);
const customers = Number(process.argv[3] ?? 50_000);
const TODAY = '2026-11-28' as BusinessDate;
const CREATED = '2026-11-28T00:00:00.000Z';
const pgUrl = process.env.DATABASE_URL;

interface Columns {
  customers: unknown[][];
  profiles: unknown[][];
  invoices: unknown[][];
}

/** A deterministic book: issued over the last 180 days on 30-, 60- or 90-day terms, not yet paid. */
function book(): Columns {
  const out: Columns = { ...benchCustomers(customers, CREATED), invoices: [] };
  const next = seeded(42);
  const terms = [30, 60, 90];
  for (let i = 0; i < invoices; i++) {
    const issue = addDays(TODAY, -(next() % 180));
    const amount = 1_000 + (next() % 500_000);
    out.invoices.push([
      `inv_${String(i).padStart(8, '0')}`,
      `BI${i}`,
      `cus_${String(i % customers).padStart(7, '0')}`,
      null,
      `INV-${i}`,
      issue,
      addDays(issue, terms[i % 3] ?? 30),
      amount,
      'CNY',
      amount,
      null,
      CREATED,
    ]);
  }
  return out;
}

async function measure(store: Store) {
  let n = 0;
  const services: Services = {
    store,
    clock: { today: () => TODAY, now: () => new Date(`${TODAY}T08:00:00.000Z`) },
    ids: { next: (prefix) => `${prefix}_${String(++n).padStart(10, '0')}` },
  };
  const aging = await timed(() => bookAging(store.db, TODAY), 5);
  const byCustomer = await timed(() => bookAging(store.db, TODAY, undefined, 'customer'), 3);
  const past = await timed(() => bookAging(store.db, addDays(TODAY, -30)));
  const dso = await timed(() =>
    monthlyDso(store.db, { from: '2026-11', to: '2026-11', method: 'countback' }),
  );
  const dunning = await timed(() => runDunning(services, 'bench', null, TODAY));
  const again = await timed(() => runDunning(services, 'bench', null, TODAY));
  const nextDay = await timed(() => runDunning(services, 'bench', null, addDays(TODAY, 1)));
  return { aging, byCustomer, past, dso, dunning, again, nextDay };
}

async function main() {
  const dialect = pgUrl ? 'postgres' : 'sqlite';
  const loadStarted = performance.now();
  const rows = book();
  const { store, cleanup } = await loadedStore([
    { table: 'customers', columns: CUSTOMER_COLUMNS, types: CUSTOMER_TYPES, rows: rows.customers },
    { table: 'credit_profiles', columns: PROFILE_COLUMNS, types: PROFILE_TYPES, rows: rows.profiles },
    { table: 'invoices', columns: INVOICE_COLUMNS, types: INVOICE_TYPES, rows: rows.invoices },
  ]);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  try {
    const m = await measure(store);
    const open = (
      await sql<{ n: number }>`select count(*) as n from invoices where open_minor > 0`.execute(store.db)
    ).rows[0]?.n;
    const table = [
      [
        'open invoices / customers',
        `${Number(open).toLocaleString('en')} / ${customers.toLocaleString('en')}`,
        `loaded in ${loadSeconds.toFixed(1)} s`,
      ],
      [
        'aging of the whole book, today (median of 5)',
        `${m.aging.seconds.toFixed(3)} s`,
        dialect === 'sqlite' ? 'target ≤ 0.2 s' : '',
      ],
      ['aging per customer, today (median of 3)', `${m.byCustomer.seconds.toFixed(3)} s`, ''],
      ['aging as of 30 days ago (ledger replay)', `${m.past.seconds.toFixed(3)} s`, ''],
      [
        'countback DSO, CEI, ADD for one month',
        `${m.dso.seconds.toFixed(3)} s`,
        `DSO ${m.dso.result.months[0]?.dso}`,
      ],
      [
        'dunning run (first of the day)',
        `${m.dunning.seconds.toFixed(2)} s`,
        `target ≤ 10 s; ${m.dunning.result.stepsTaken.toLocaleString('en')} steps, ${m.dunning.result.tasksCreated.toLocaleString('en')} tasks`,
      ],
      [
        'dunning run again (nothing left to do)',
        `${m.again.seconds.toFixed(2)} s`,
        `${m.again.result.stepsTaken} steps`,
      ],
      [
        'dunning run the next day (incremental)',
        `${m.nextDay.seconds.toFixed(2)} s`,
        `target ≤ 10 s; ${m.nextDay.result.invoicesConsidered.toLocaleString('en')} invoices looked at, ${m.nextDay.result.stepsTaken.toLocaleString('en')} steps`,
      ],
    ];
    console.log(`\n${dialect}\n| measure | value | note |\n| --- | --- | --- |`);
    for (const r of table) console.log(`| ${r.join(' | ')} |`);
    console.log(
      JSON.stringify({
        bench: 'receivables',
        dialect,
        openInvoices: Number(open),
        customers,
        agingSeconds: m.aging.seconds,
        agingByCustomerSeconds: m.byCustomer.seconds,
        agingReplaySeconds: m.past.seconds,
        countbackDsoSeconds: m.dso.seconds,
        dunningSeconds: m.dunning.seconds,
        dunningAgainSeconds: m.again.seconds,
        dunningNextDaySeconds: m.nextDay.seconds,
        dunningSteps: m.dunning.result.stepsTaken,
      }),
    );
  } finally {
    await cleanup();
  }
}

await main();
