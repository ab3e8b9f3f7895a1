/**
 * The IBM accounts-receivable sample (../shared/datasets/ibm_ar_invoices.csv) through Fulcrum:
 * converted to the canonical CSVs, imported with the CLI into a fresh store, then the book's aging
 * and monthly DSO from the ledger, and a late-payment scorecard and GBDT on invoice features plus
 * the customer's payment history known at the invoice date (the behavioural feature code).
 * Usage: npm run bench:ibm   (needs the build: the script runs it first)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { bookAging, monthlyDso } from '../src/app/receivables/receivables-report.js';
import { evaluate } from '../src/cli/model.js';
import { readSplit } from '../src/cli/model-data.js';
import { behaviourFeatures, type InvoiceHistory } from '../src/core/scoring/behaviour.js';
import type { Column } from '../src/core/scoring/binning.js';
import { fitGbdt } from '../src/core/scoring/gbdt.js';
import { fitScorecard } from '../src/core/scoring/scorecard.js';
import { addDays, type BusinessDate, daysBetween } from '../src/core/time/business-date.js';
import { openStore } from '../src/store/db.js';
import { timedFits, WARM_FITS } from './fit-timing.js';

const FILE = '../shared/datasets/ibm_ar_invoices.csv';
const SPLIT = '../shared/datasets/splits/split_ibm_ar_invoices_seed42.csv';
if (!existsSync(FILE)) {
  console.error(`skipped: ${FILE} not found`);
  process.exit(0);
}
const iso = (mdy: string) => {
  const [m, d, y] = mdy.split('/').map(Number) as [number, number, number];
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as BusinessDate;
};
const rows = parse(readFileSync(FILE), { columns: true, trim: true }) as Record<string, string>[];
const invoices = rows.map((r) => ({
  customer: r.customerID as string,
  number: r.invoiceNumber as string,
  issue: iso(r.InvoiceDate as string),
  due: iso(r.DueDate as string),
  settled: iso(r.SettledDate as string),
  amount: Number(r.InvoiceAmount),
  disputed: r.Disputed === 'Yes' ? 1 : 0,
  paperless: r.PaperlessBill === 'Electronic' ? 1 : 0,
  paperlessSince: iso(r.PaperlessDate as string),
  country: r.countryCode as string,
  late: Number(r.DaysLate) > 0 ? 1 : 0,
}));

// 1. Import through the canonical CSVs and the CLI, exactly as a user would.
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-ibm-'));
const customers = [...new Set(invoices.map((i) => i.customer))];
writeFileSync(
  join(dir, 'customers.csv'),
  `external_id,name,country,currency,segment,group_external_id,sales_owner\n${customers.map((c) => `${c},IBM sample ${c},US,USD,mid,,`).join('\n')}\n`,
);
writeFileSync(
  join(dir, 'invoices.csv'),
  `external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency\n${invoices
    .map((i) => `${i.number},${i.customer},${i.number},${i.issue},${i.due},${i.amount.toFixed(2)},USD`)
    .join('\n')}\n`,
);
writeFileSync(
  join(dir, 'payments.csv'),
  `external_id,customer_external_id,invoice_external_id,paid_on,amount,currency\n${invoices
    .map((i) => `P-${i.number},${i.customer},${i.number},${i.settled},${i.amount.toFixed(2)},USD`)
    .join('\n')}\n`,
);
const env = { ...process.env, FULCRUM_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
for (const kind of ['customers', 'invoices', 'payments']) {
  const run = spawnSync(
    process.execPath,
    ['bin/fulcrum.js', 'import', kind, join(dir, `${kind}.csv`), '--no-progress'],
    { env, stdio: 'inherit' },
  );
  if (run.status !== 0) throw new Error(`import ${kind} failed`);
}

// 2. Aging at a few dates and monthly DSO, from the ledger.
const store = openStore({ dialect: 'sqlite', file: join(dir, 'data', 'fulcrum.db') });
console.log(
  '\n| as of | current | 1–30 | 31–60 | 61–90 | over 90 | total open (USD) |\n| --- | --- | --- | --- | --- | --- | --- |',
);
for (const asOf of ['2012-06-30', '2012-12-31', '2013-06-30', '2013-12-31'] as BusinessDate[]) {
  const a = await bookAging(store.db, asOf, 'USD');
  const f = (m: number) => (m / 100).toFixed(2);
  console.log(
    `| ${asOf} | ${f(a.buckets.currentMinor)} | ${f(a.buckets.d1to30Minor)} | ${f(a.buckets.d31to60Minor)} | ${f(a.buckets.d61to90Minor)} | ${f(a.buckets.over90Minor)} | ${f(a.totalOpenMinor)} |`,
  );
}
const dso = await monthlyDso(store.db, {
  from: '2012-03',
  to: '2013-12',
  method: 'countback',
  currency: 'USD',
});
const simple = await monthlyDso(store.db, {
  from: '2012-03',
  to: '2013-12',
  method: 'simple',
  currency: 'USD',
});
console.log('\n| month | DSO simple | DSO countback |\n| --- | --- | --- |');
for (const [k, m] of dso.months.entries()) {
  console.log(`| ${m.month} | ${simple.months[k]?.dso ?? '–'} | ${m.dso ?? '–'} |`);
}
await store.close();
rmSync(dir, { recursive: true, force: true });

// 3. A late-payment model on invoice features + history known at the invoice date.
const byCustomer = new Map<string, typeof invoices>();
for (const i of invoices) byCustomer.set(i.customer, [...(byCustomer.get(i.customer) ?? []), i]);
const featureRows = invoices.map((i) => {
  const asOf = addDays(i.issue, -1);
  // Only invoices of the same customer settled before this invoice's date: no look-ahead.
  const history: InvoiceHistory[] = (byCustomer.get(i.customer) ?? [])
    .filter((h) => h.settled < i.issue)
    .map((h) => ({
      issueDate: h.issue,
      dueDate: h.due,
      amountMinor: Math.round(h.amount * 100),
      settledOn: h.settled,
      openMinor: 0,
      creditedMinor: 0,
      payments: 1,
    }));
  const b = behaviourFeatures(history, asOf);
  return {
    amount: i.amount,
    termsDays: daysBetween(i.issue, i.due),
    disputed: i.disputed,
    paperless: i.paperless,
    country: i.country,
    month: Number(i.issue.slice(5, 7)),
    // The invoice features the reference used beside those: weekday and paperless age.
    weekday: new Date(i.issue).getUTCDay(),
    paperlessAge: daysBetween(i.paperlessSince, i.issue),
    historyInvoices: b.invoices,
    lateShare: b.lateShare,
    meanDaysLate: b.meanDaysLate,
    meanDaysToPay: b.meanDaysToPay,
    daysLateTrend: b.daysLateTrend,
  };
});
const names = Object.keys(featureRows[0] ?? {}) as (keyof (typeof featureRows)[number])[];
const columnsFor = (index: number[]): Column[] =>
  names.map((name) =>
    name === 'country'
      ? { name, kind: 'categorical' as const, values: index.map((k) => String(featureRows[k]?.[name])) }
      : { name, kind: 'numeric' as const, values: index.map((k) => featureRows[k]?.[name] as number | null) },
  );
const train = [...readSplit(SPLIT, 'train')];
const test = [...readSplit(SPLIT, 'test')];
const y = (index: number[]) => index.map((k) => invoices[k]?.late as number);
const results = [];
// The datasets README's references: best logistic regression (raw, 0.01 s) and HistGradientBoosting.
for (const [kind, reference, referenceSeconds] of [
  ['scorecard', 0.922, 0.01],
  ['gbdt', 0.915, 0.28],
] as const) {
  const { model, firstSeconds, fitSeconds } = timedFits(() =>
    kind === 'gbdt'
      ? fitGbdt(columnsFor(train), y(train), 'late')
      : fitScorecard(columnsFor(train), y(train), 'late'),
  );
  const metrics = evaluate(model, columnsFor(test), y(test));
  results.push({
    kind,
    auc: metrics.auc,
    ks: metrics.ks,
    firstFitSeconds: Math.round(firstSeconds * 1000) / 1000,
    fitSeconds: Math.round(fitSeconds * 1000) / 1000,
    referenceAuc: reference,
    referenceSeconds,
  });
}
console.log(
  `\n| model | AUC | KS | fit s (median of ${WARM_FITS} warm) | first fit s | sklearn reference AUC | reference fit s |\n| --- | --- | --- | --- | --- | --- | --- |`,
);
for (const r of results)
  console.log(
    `| ${r.kind} | ${r.auc} | ${r.ks} | ${r.fitSeconds} | ${r.firstFitSeconds} | ${r.referenceAuc} | ${r.referenceSeconds} |`,
  );
console.log(
  JSON.stringify({
    bench: 'ibm-ar',
    dso: dso.months.map((m, k) => ({ month: m.month, simple: simple.months[k]?.dso, countback: m.dso })),
    models: results,
  }),
);
