/**
 * Times `fulcrum import` of a 100,000-row invoice CSV (plus its customers and 100,000 payments)
 * into a fresh store, through the built CLI exactly as a user runs it.
 * Usage: npm run bench:import [-- ROWS]   (DATABASE_URL=postgres://… to measure PostgreSQL)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const rows = Number(process.argv[2] ?? 100_000);
const customers = Math.max(1, Math.round(rows / 50));
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-bench-'));

function day(offset: number): string {
  return new Date(Date.UTC(2025, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
}

const customerLines = ['external_id,name,country,currency,segment,group_external_id,sales_owner'];
for (let c = 0; c < customers; c++)
  customerLines.push(`B${c},Bench Customer ${c} Co. Ltd.,CN,CNY,${['small', 'mid', 'large'][c % 3]},,`);
const invoiceLines = ['external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency'];
const paymentLines = ['external_id,customer_external_id,invoice_external_id,paid_on,amount,currency'];
for (let i = 0; i < rows; i++) {
  const issue = i % 600;
  const amount = `${1_000 + ((i * 7_919) % 900_000)}.${String(i % 100).padStart(2, '0')}`;
  invoiceLines.push(`BI${i},B${i % customers},INV-${i},${day(issue)},${day(issue + 60)},${amount},CNY`);
  // Every other invoice is paid by a payment naming it; every fourth by one applied oldest-first.
  if (i % 2 === 0) paymentLines.push(`BP${i},B${i % customers},BI${i},${day(issue + 55)},${amount},CNY`);
  else if (i % 4 === 1) paymentLines.push(`BP${i},B${i % customers},,${day(issue + 70)},${amount},CNY`);
}
const files = {
  customers: join(dir, 'customers.csv'),
  invoices: join(dir, 'invoices.csv'),
  payments: join(dir, 'payments.csv'),
};
writeFileSync(files.customers, `${customerLines.join('\n')}\n`);
writeFileSync(files.invoices, `${invoiceLines.join('\n')}\n`);
writeFileSync(files.payments, `${paymentLines.join('\n')}\n`);

const env = { ...process.env, FULCRUM_DATA_DIR: join(dir, 'data') };
const results: Record<string, number> = {};
for (const kind of ['customers', 'invoices', 'payments'] as const) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['bin/fulcrum.js', 'import', kind, files[kind]], {
    env,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`import ${kind} exited ${run.status}`);
  results[kind] = (performance.now() - started) / 1000;
}
rmSync(dir, { recursive: true, force: true });

const store = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
console.log(`\n| step | rows | seconds | rows/s |\n| --- | --- | --- | --- |`);
const counts = { customers, invoices: rows, payments: paymentLines.length - 1 };
for (const [kind, seconds] of Object.entries(results)) {
  const n = counts[kind as keyof typeof counts];
  console.log(`| import ${kind} (${store}) | ${n} | ${seconds.toFixed(2)} | ${Math.round(n / seconds)} |`);
}
console.log(JSON.stringify({ bench: 'import', store, rows: counts, seconds: results }));
