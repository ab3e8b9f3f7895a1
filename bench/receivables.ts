/**
 * Whole-book aging, countback DSO and dunning runs over a large open book (issue 21's targets on
 * SQLite, 1,000,000 open invoices: aging today ≤ 20 ms, as of a past date and per customer ≤ 0.3 s,
 * DSO for a month ≤ 0.3 s and a year ≤ 1 s, the first dunning run ≤ 10 s), beside the least a
 * columnar pass can take.
 * The book is bulk-loaded straight into the tables (this measures the reports, not imports).
 * Usage: npm run bench:receivables [-- INVOICES CUSTOMERS]   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { sql } from 'kysely';
import { runDunning } from '../src/app/collections/dunning-run.js';
import { createInvoices } from '../src/app/receivables/create-invoices.js';
import { ledgerColumns } from '../src/app/receivables/ledger-read-model.js';
import { bookAging, monthlyDso } from '../src/app/receivables/receivables-report.js';
import { recordPayments } from '../src/app/receivables/record-payments.js';
import type { Services } from '../src/app/services.js';
import { addDays, type BusinessDate, toEpochDay } from '../src/core/time/business-date.js';
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

const servicesOn = (store: Store, today: BusinessDate): Services => {
  let n = 0;
  return {
    store,
    clock: { today: () => today, now: () => new Date(`${today}T08:00:00.000Z`) },
    ids: { next: (prefix) => `${prefix}_${today}_${String(++n).padStart(10, '0')}` },
  };
};

/**
 * The least a whole-book aging can take: due days and open amounts already in typed arrays, one
 * loop. Fulcrum's columns do the same with the dated entries besides; this is the yardstick.
 */
function plainColumnarAging(rows: unknown[][]) {
  const due = new Int32Array(rows.length);
  const open = new Float64Array(rows.length);
  rows.forEach((r, k) => {
    due[k] = toEpochDay(r[6] as BusinessDate);
    open[k] = r[9] as number;
  });
  const today = toEpochDay(TODAY);
  return timed(async () => {
    const buckets = new Float64Array(5);
    for (let k = 0; k < due.length; k++) {
      const late = today - (due[k] as number);
      const b = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
      buckets[b] = (buckets[b] as number) + (open[k] as number);
    }
    return buckets;
  }, 5);
}

/** A day's new business after the reports were first read: invoices, each half paid. */
async function appendDay(store: Store, count: number) {
  const services = servicesOn(store, TODAY);
  const customerId = 'cus_0000001';
  const invoices = await createInvoices(
    services,
    'bench',
    Array.from({ length: count }, (_, k) => ({
      customerId,
      externalId: `NEW-${k}`,
      invoiceNumber: `NEW-${k}`,
      issueDate: TODAY,
      dueDate: addDays(TODAY, 30),
      amountMinor: 10_000,
      currency: 'CNY',
    })),
  );
  await recordPayments(
    services,
    'bench',
    invoices.map((invoice, k) => ({
      customerId,
      externalId: `NEWP-${k}`,
      paidOn: TODAY,
      amountMinor: 5_000,
      currency: 'CNY',
      invoiceId: invoice.id,
    })),
  );
}

async function measure(store: Store) {
  const services = servicesOn(store, TODAY);
  const firstRead = await timed(() => ledgerColumns(store.db));
  const aging = await timed(() => bookAging(store.db, TODAY), 5);
  const byCustomer = await timed(() => bookAging(store.db, TODAY, undefined, 'customer'), 3);
  const past = await timed(() => bookAging(store.db, addDays(TODAY, -30)), 3);
  const dso = await timed(
    () => monthlyDso(store.db, { from: '2026-11', to: '2026-11', method: 'countback' }),
    3,
  );
  const dsoYear = await timed(() =>
    monthlyDso(store.db, { from: '2025-12', to: '2026-11', method: 'countback' }),
  );
  await appendDay(store, 1_000);
  const afterWrites = await timed(() => bookAging(store.db, TODAY));
  const dunning = await timed(() => runDunning(services, 'bench', null, TODAY));
  const again = await timed(() => runDunning(services, 'bench', null, TODAY));
  const nextDay = await timed(() =>
    runDunning(servicesOn(store, addDays(TODAY, 1)), 'bench', null, addDays(TODAY, 1)),
  );
  return { firstRead, aging, byCustomer, past, dso, dsoYear, afterWrites, dunning, again, nextDay };
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
    const plain = await plainColumnarAging(rows.invoices);
    const onSqlite = dialect === 'sqlite';
    const target = (text: string) => (onSqlite ? `target ${text}` : 'read from the indexes');
    const table = [
      [
        'open invoices / customers',
        `${Number(open).toLocaleString('en')} / ${customers.toLocaleString('en')}`,
        `loaded in ${loadSeconds.toFixed(1)} s`,
      ],
      [
        'ledger read into columns (first report after start)',
        `${m.firstRead.seconds.toFixed(2)} s`,
        onSqlite ? 'once per process; later reports read only what was appended' : 'PostgreSQL: not used',
      ],
      ['aging of the whole book, today (median of 5)', `${m.aging.seconds.toFixed(3)} s`, target('≤ 0.02 s')],
      ['aging per customer, today (median of 3)', `${m.byCustomer.seconds.toFixed(3)} s`, target('≤ 0.3 s')],
      ['aging as of 30 days ago (median of 3)', `${m.past.seconds.toFixed(3)} s`, target('≤ 0.3 s')],
      [
        'countback DSO, CEI, ADD for one month (median of 3)',
        `${m.dso.seconds.toFixed(3)} s`,
        `${target('≤ 0.3 s')}; DSO ${m.dso.result.months[0]?.dso}`,
      ],
      ['the same for 12 months', `${m.dsoYear.seconds.toFixed(3)} s`, target('≤ 1 s')],
      [
        'aging after 1,000 new invoices and 1,000 payments',
        `${m.afterWrites.seconds.toFixed(3)} s`,
        'the appended rows read, the rest kept',
      ],
      [
        'plain columnar pass (typed arrays, one loop; the limit)',
        `${plain.seconds.toFixed(4)} s`,
        'ages today’s open amounts only',
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
        ledgerReadSeconds: m.firstRead.seconds,
        agingSeconds: m.aging.seconds,
        agingByCustomerSeconds: m.byCustomer.seconds,
        agingReplaySeconds: m.past.seconds,
        countbackDsoSeconds: m.dso.seconds,
        countbackDso12MonthsSeconds: m.dsoYear.seconds,
        agingAfterWritesSeconds: m.afterWrites.seconds,
        plainColumnarSeconds: plain.seconds,
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
