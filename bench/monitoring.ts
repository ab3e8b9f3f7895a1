/**
 * The nightly early-warning run over a large book (issue 15 target: ≤ 10 s on SQLite for 50,000
 * customers, 1,000,000 invoices and 200,000 outside signals). The book is bulk-loaded: invoices
 * issued over the last year, three in four paid (some late, each by a payment allocated to it), the
 * rest open; signals of every kind
 * over the last year. The run is timed in this thread (the server runs it on a worker thread:
 * `npm run bench:heavy` measures the desk beside it). Usage:
 *   npm run bench:monitoring [-- INVOICES CUSTOMERS SIGNALS]   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { runMonitoring } from '../src/app/monitoring/monitoring-run.js';
import type { Services } from '../src/app/services.js';
import { SIGNAL_TYPES } from '../src/core/external-data/signals.js';
import { addDays, type BusinessDate } from '../src/core/time/business-date.js';
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
const signals = Number(process.argv[4] ?? 200_000);
const TODAY = '2026-11-28' as BusinessDate;
const CREATED = '2026-11-28T00:00:00.000Z';
const SIGNAL_COLUMNS =
  'id, customer_id, source, source_ref, signal_type, severity, occurred_on, amount_minor, currency, summary, received_at, received_by';
const SIGNAL_COLUMN_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'int8',
  'text',
  'text',
  'text',
  'text',
];

function book() {
  const out = {
    ...benchCustomers(customers, CREATED),
    invoices: [] as unknown[][],
    payments: [] as unknown[][],
    allocations: [] as unknown[][],
    signals: [] as unknown[][],
  };
  const next = seeded(7);
  for (let i = 0; i < invoices; i++) {
    const issue = addDays(TODAY, -(next() % 365));
    const due = addDays(issue, 30);
    const amount = 1_000 + (next() % 500_000);
    const paid = next() % 4 !== 0;
    const settled = paid ? addDays(due, (next() % 40) - 15) : null;
    const settledOn = settled && settled <= TODAY ? settled : null;
    const customer = `cus_${String(i % customers).padStart(7, '0')}`;
    if (settledOn) {
      out.payments.push([`pay_${i}`, `BP${i}`, customer, settledOn, amount, 'CNY', 0, CREATED]);
      out.allocations.push([
        `alc_${i}`,
        `pay_${i}`,
        `inv_${String(i).padStart(8, '0')}`,
        amount,
        settledOn,
        CREATED,
      ]);
    }
    out.invoices.push([
      `inv_${String(i).padStart(8, '0')}`,
      `BI${i}`,
      customer,
      null,
      `INV-${i}`,
      issue,
      due,
      amount,
      'CNY',
      settledOn ? 0 : amount,
      settledOn,
      CREATED,
    ]);
  }
  const types = Object.entries(SIGNAL_TYPES);
  for (let s = 0; s < signals; s++) {
    const [type, severity] = types[next() % types.length] as [string, string];
    out.signals.push([
      `sig_${String(s).padStart(8, '0')}`,
      `cus_${String(next() % customers).padStart(7, '0')}`,
      'bench',
      `B-${s}`,
      type,
      severity,
      addDays(TODAY, -(next() % 365)),
      null,
      null,
      'bench signal',
      CREATED,
      'bench',
    ]);
  }
  return out;
}

const loadStarted = performance.now();
const rows = book();
const { store, cleanup } = await loadedStore([
  { table: 'customers', columns: CUSTOMER_COLUMNS, types: CUSTOMER_TYPES, rows: rows.customers },
  { table: 'credit_profiles', columns: PROFILE_COLUMNS, types: PROFILE_TYPES, rows: rows.profiles },
  { table: 'invoices', columns: INVOICE_COLUMNS, types: INVOICE_TYPES, rows: rows.invoices },
  { table: 'payments', columns: PAYMENT_COLUMNS, types: PAYMENT_TYPES, rows: rows.payments },
  { table: 'allocations', columns: ALLOCATION_COLUMNS, types: ALLOCATION_TYPES, rows: rows.allocations },
  { table: 'external_signals', columns: SIGNAL_COLUMNS, types: SIGNAL_COLUMN_TYPES, rows: rows.signals },
]);
const loadSeconds = (performance.now() - loadStarted) / 1000;
let n = 0;
const services: Services = {
  store,
  clock: { today: () => TODAY, now: () => new Date(`${TODAY}T02:00:00.000Z`) },
  ids: { next: (prefix) => `${prefix}_${String(++n).padStart(10, '0')}` },
};
try {
  const first = await timed(() => runMonitoring(services, 'bench'));
  const again = await timed(() => runMonitoring(services, 'bench'));
  console.log(`\n${store.dialect}\n| measure | value | note |\n| --- | --- | --- |`);
  console.log(
    `| book | ${invoices.toLocaleString('en')} invoices, ${customers.toLocaleString('en')} customers, ${signals.toLocaleString('en')} signals | loaded in ${loadSeconds.toFixed(1)} s |`,
  );
  console.log(
    `| monitoring run, first | ${first.seconds.toFixed(2)} s | target ≤ 10 s; ${first.result.raised.toLocaleString('en')} alerts raised |`,
  );
  console.log(
    `| monitoring run, again (nothing new) | ${again.seconds.toFixed(2)} s | ${again.result.raised} raised |`,
  );
  console.log(
    JSON.stringify({
      bench: 'monitoring',
      dialect: store.dialect,
      invoices,
      customers,
      signals,
      firstSeconds: first.seconds,
      againSeconds: again.seconds,
      raised: first.result.raised,
    }),
  );
} finally {
  await cleanup();
}
