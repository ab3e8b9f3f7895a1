/**
 * The order desk alone, in process, without HTTP: waves of 40 orders submitted at once (one run
 * each, as 40 connections waiting would make), over 200 customers with generous limits. Prints
 * time and CPU per order, and for the embedded store the bytes and write calls per run (the WAL).
 * With BENCH_PG_URL, the same on a PostgreSQL store (a schema of its own, dropped afterwards).
 * Usage: npm run bench:desk
 *        BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:desk
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { placeOrder } from '../src/app/credit/place-order.js';
import { openRuntime } from '../src/cli/runtime.js';
import { loadConfig } from '../src/config.js';
import { withScratchSchema } from './scratch-schema.js';

const RUN = 40;
const ORDERS = 60_000;
const WARM_UP = 10_000;

/** This process's bytes and write calls so far (Linux), or null elsewhere. */
function written(): { bytes: number; calls: number } | null {
  try {
    const io = Object.fromEntries(
      readFileSync('/proc/self/io', 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(': ')),
    );
    return { bytes: Number(io.wchar), calls: Number(io.syscw) };
  } catch {
    return null;
  }
}

async function seed(env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/seed-bench-customers.ts', '200'], {
    env,
    stdio: 'inherit',
  });
  await new Promise((resolve) => child.on('exit', resolve));
}

async function measure(label: string, env: NodeJS.ProcessEnv) {
  await seed(env);
  const { services } = await openRuntime(loadConfig(env));
  try {
    const customers = (await services.store.db.selectFrom('customers').select('id').execute()).map(
      (c) => c.id,
    );
    let n = 0;
    const wave = () =>
      Promise.all(
        Array.from({ length: RUN }, () => {
          n += 1;
          return placeOrder(services, 'api_key:bench', {
            customerId: customers[n % customers.length] as string,
            externalId: `DESK-${n}`,
            amountMinor: 10_000 + (n % 50) * 100,
            currency: 'CNY',
          });
        }),
      );
    for (let i = 0; i < WARM_UP / RUN; i++) await wave();
    const io = written();
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < ORDERS / RUN; i++) await wave();
    const wallUs = (performance.now() - started) * 1000;
    const used = process.cpuUsage(cpu);
    const after = written();
    const runs = ORDERS / RUN;
    return {
      store: label,
      usPerOrder: Number((wallUs / ORDERS).toFixed(1)),
      cpuUsPerOrder: Number(((used.user + used.system) / ORDERS).toFixed(1)),
      systemShare: Number((used.system / (used.user + used.system)).toFixed(2)),
      bytesWrittenPerRun: io && after ? Math.round((after.bytes - io.bytes) / runs) : null,
      writeCallsPerRun: io && after ? Number(((after.calls - io.calls) / runs).toFixed(1)) : null,
    };
  } finally {
    await services.store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'fulcrum-bench-desk-'));
const base = { ...process.env, FULCRUM_DATA_DIR: dir, FULCRUM_DEMO: '0', LOG_LEVEL: 'error' };
const results = [];
try {
  results.push(await measure('SQLite', { ...base, DATABASE_URL: '' }));
  const pgUrl = process.env.BENCH_PG_URL;
  if (pgUrl)
    results.push(
      await withScratchSchema(pgUrl, 'bench_desk', (url) =>
        measure('PostgreSQL', { ...base, DATABASE_URL: url }),
      ),
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `\nOrder desk in process: runs of ${RUN} orders, ${ORDERS.toLocaleString('en')} orders measured after ${WARM_UP.toLocaleString('en')}\n`,
);
console.log(
  '| store | µs an order | CPU µs an order | system share | bytes written a run | write calls a run |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of results)
  console.log(
    `| ${r.store} | ${r.usPerOrder} | ${r.cpuUsPerOrder} | ${r.systemShare} | ${r.bytesWrittenPerRun?.toLocaleString('en') ?? '–'} | ${r.writeCallsPerRun ?? '–'} |`,
  );
console.log(JSON.stringify({ bench: 'order-desk', run: RUN, orders: ORDERS, results }));
