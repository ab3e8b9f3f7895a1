/**
 * Heavy work beside the order desk (issue 21, item 5): POST /v1/orders p99 at a steady load with
 * nothing else running, then the same load while each heavy task runs over HTTP on the demo book —
 * the frontier sweep, the alert back-test, the cash forecast, the monitoring run, the ledger export, the
 * scoring job, an import, the provision run — one row each, with the ratio to the
 * idle p99. A benchmark, not a test: it prints numbers.
 *
 *   npx tsx bench/heavy-jobs.ts        (HEAVY_JOBS=frontier,cash: only those)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startServer } from '../test/support/server-process.js';

const KEY = 'fk_bench_admin_key';
const DURATION_S = 10;
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** A process spinning on one core for `ms`, answered as a job would be. */
function spin(ms: number): Promise<Response> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      '-e',
      `const end = Date.now() + ${ms}; while (Date.now() < end);`,
    ]);
    child.once('exit', () => resolve(new Response('', { status: 200 })));
  });
}

let imports = 0;
/**
 * Uploads `rows` new invoices as one CSV (multipart, as the dashboard does) and waits for the
 * import job to finish; answers the finished job.
 */
async function importInvoices(base: string, customers: readonly string[], rows: number): Promise<Response> {
  imports += 1;
  const lines = Array.from({ length: rows }, (_, i) => {
    const customer = customers[i % customers.length];
    return `BENCH-${imports}-${i},${customer},BN-${imports}-${i},2026-11-02,2026-12-02,${1000 + (i % 90)}.00,CNY`;
  });
  const csv = `external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency\n${lines.join('\n')}\n`;
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'invoices.csv');
  const started = await fetch(`${base}/v1/imports/invoices`, {
    method: 'POST',
    headers: { authorization: headers.authorization },
    body: form,
  });
  const job = (await started.json()) as { id: string };
  for (;;) {
    const polled = await fetch(`${base}/v1/imports/${job.id}`, { headers });
    const state = (await polled.clone().json()) as { status: string };
    if (state.status !== 'queued' && state.status !== 'running') return polled;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let counter = 0;
/** A steady 200 orders a second over 10 connections: a busy day, not a saturation test. */
const orders = (base: string, customers: readonly string[]) =>
  cannon({
    url: `${base}/v1/orders/check`,
    connections: 10,
    overallRate: 200,
    duration: DURATION_S,
    method: 'POST',
    headers,
    requests: [
      {
        setupRequest: (request) => {
          counter += 1;
          return {
            ...request,
            body: JSON.stringify({
              customerId: customers[counter % customers.length],
              amountMinor: 10_000,
              currency: 'CNY',
            }),
          };
        },
      },
    ],
  });

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-bench-heavy-'));
  const { base, server } = await startServer({
    env: {
      FULCRUM_DATA_DIR: dir,
      FULCRUM_DEMO: '1',
      FULCRUM_BOOTSTRAP_KEY: KEY,
      DATABASE_URL: '',
      FULCRUM_WRITES_PER_MINUTE: '0',
    },
    timeoutMs: 120_000,
  });
  try {
    const page = (await (await fetch(`${base}/v1/customers?limit=500`, { headers })).json()) as {
      items: { id: string }[];
    };
    const customers = page.items.map((c) => c.id);
    const externalIds = (page.items as unknown as { externalId: string }[]).map((c) => c.externalId);
    await orders(base, customers); // warm-up: the first seconds measure the JIT, not the desk
    const idle = await orders(base, customers);
    const rows: Record<string, unknown>[] = [
      { job: 'none', p99Ms: idle.latency.p99, requestsPerSecond: idle.requests.average },
    ];
    const jobs: [string, () => Promise<Response>][] = [
      // The floor: no Fulcrum work at all, one core kept busy by another process for the whole window.
      ['one core busy (floor)', () => spin(DURATION_S * 1000)],
      [
        'frontier (500 candidates)',
        () =>
          fetch(`${base}/v1/simulations/frontier`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ candidates: 500 }),
          }),
      ],
      [
        'alert back-test (24 months)',
        () => fetch(`${base}/v1/alerts/backtest?from=2024-12-01&to=2026-11-30`, { headers }),
      ],
      ['cash forecast', () => fetch(`${base}/v1/receivables/cash-forecast`, { headers })],
      [
        'monitoring run (every customer)',
        () => fetch(`${base}/v1/alerts/run`, { method: 'POST', headers, body: '{}' }),
      ],
      [
        'invoice ledger export (XLSX, streamed)',
        () => fetch(`${base}/v1/invoices/export?format=xlsx`, { headers }),
      ],
      [
        'late-payment model refresh (the scoring job)',
        () => fetch(`${base}/v1/models/late-payment/refresh`, { method: 'POST', headers, body: '{}' }),
      ],
      ['invoice import over HTTP (10,000 rows)', () => importInvoices(base, externalIds, 10_000)],
      [
        'provision run (dry run, 24 month-ends)',
        () =>
          fetch(`${base}/v1/provision-runs`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ asOf: '2026-11-30', dryRun: true }),
          }),
      ],
    ];
    // HEAVY_JOBS=frontier,cash: only the jobs whose names contain one of these.
    const only = process.env.HEAVY_JOBS?.split(',').filter(Boolean);
    for (const [job, start] of jobs.filter(([name]) => !only || only.some((o) => name.includes(o)))) {
      // The job again and again for as long as the load runs: every order meets it.
      const until = performance.now() + DURATION_S * 1000;
      const runs: { status: number; seconds: number }[] = [];
      const repeat = (async () => {
        while (performance.now() < until) {
          const started = performance.now();
          const response = await start();
          await response.text();
          runs.push({ status: response.status, seconds: (performance.now() - started) / 1000 });
        }
      })();
      const loaded = await orders(base, customers);
      await repeat;
      rows.push({
        job,
        runs: runs.length,
        statuses: [...new Set(runs.map((r) => r.status))],
        jobSeconds:
          Math.round((runs.reduce((t, r) => t + r.seconds, 0) / Math.max(runs.length, 1)) * 10) / 10,
        p99Ms: loaded.latency.p99,
        p99VsIdle: Math.round((loaded.latency.p99 / Math.max(idle.latency.p99, 1)) * 100) / 100,
        requestsPerSecond: loaded.requests.average,
      });
    }
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
