/**
 * Credit-check throughput. Part 1, in process: the compiled default policy, a hand-written
 * function of the same rules, and json-rules-engine evaluating them, on the same inputs.
 * Part 2, over HTTP on loopback: POST /v1/orders on a server with the SQLite store (every decision
 * written with its audit event) beside a bare Fastify route returning a constant and beside the
 * durable floor (bench/durable-floor-server.mjs: the least a synced, audited order write can do),
 * all driven by autocannon with 50 connections. With BENCH_PG_URL, also on PostgreSQL (schemas of
 * their own in that database, dropped afterwards): a durable floor written for it
 * (bench/durable-floor-pg.mjs), POST /v1/orders on one server process, and on two at once.
 * Prints a table and one JSON line.
 * Usage: npm run bench:credit
 *        BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:credit
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Engine } from 'json-rules-engine';
import { compilePolicy } from '../src/core/policy/compile-policy.js';
import { DEFAULT_POLICY } from '../src/core/policy/default-policy.js';
import { type CheckInput, type Outcome, SEVERITY } from '../src/core/policy/types.js';
import { RISK_CLASSES } from '../src/core/rating/risk-class.js';
import { SeededRandom } from '../src/demo/random.js';
import { startServer, waitUntilUp } from '../test/support/server-process.js';
import { handwrittenDefaultPolicy } from './handwritten-policy.js';
import { withScratchSchema } from './scratch-schema.js';

const random = new SeededRandom(42);
const inputs: CheckInput[] = Array.from({ length: 10_000 }, () => {
  const limitMinor = random.int(0, 50_000_000);
  const group = random.chance(0.3);
  return {
    orderMinor: random.int(1, 5_000_000),
    customerAgeDays: random.int(0, 2_000),
    riskClass: random.pick(RISK_CLASSES),
    ratingGrade: random.chance(0.9) ? random.int(1, 10) : null,
    blacklisted: random.chance(0.01),
    stopSupply: random.chance(0.02),
    limitMinor,
    exposureMinor: random.int(0, limitMinor),
    overdueMinor: random.chance(0.3) ? random.int(0, 1_000_000) : 0,
    overdueMinorDays: random.chance(0.3) ? random.int(0, 50_000_000) : 0,
    groupLimitMinor: group ? random.int(0, 80_000_000) : null,
    groupExposureMinor: group ? random.int(0, 60_000_000) : null,
    fxRateMissing: random.chance(0.005),
  };
});

function perSecond(run: (input: CheckInput) => unknown, seconds = 2): number {
  let n = 0;
  let sink = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1_000; i++) {
      if (run(inputs[(n + i) % inputs.length] as CheckInput)) sink += 1;
    }
    n += 1_000;
  }
  if (sink < 0) console.log(sink);
  return n / seconds;
}

/** The same decision tables as json-rules-engine rules: one rule per outcome-producing condition. */
function rulesEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const rule = (name: string, outcome: Outcome, conditions: object) =>
    engine.addRule({
      name,
      conditions: conditions as never,
      event: { type: outcome, params: { code: name } },
    });
  rule('customer_blacklisted', 'decline', { all: [{ fact: 'blacklisted', operator: 'equal', value: true }] });
  rule('stop_supply', 'hold', { all: [{ fact: 'stopSupply', operator: 'equal', value: true }] });
  rule('fx_rate_missing', 'hold', { all: [{ fact: 'fxRateMissing', operator: 'equal', value: true }] });
  rule('new_customer_cap_exceeded', 'escalate', {
    all: [
      { fact: 'customerAgeDays', operator: 'lessThan', value: 90 },
      { fact: 'orderMinor', operator: 'greaterThan', value: 20_000_000 },
    ],
  });
  rule('rating_escalate', 'escalate', {
    all: [
      { fact: 'ratingGrade', operator: 'greaterThan', value: 6 },
      { fact: 'ratingGrade', operator: 'lessThanInclusive', value: 8 },
    ],
  });
  rule('rating_decline', 'decline', { all: [{ fact: 'ratingGrade', operator: 'greaterThan', value: 8 }] });
  rule('overdue_escalate', 'escalate', {
    all: [
      { fact: 'overdueIndex', operator: 'greaterThan', value: 3 },
      { fact: 'overdueIndex', operator: 'lessThanInclusive', value: 15 },
    ],
  });
  rule('overdue_hold', 'hold', { all: [{ fact: 'overdueIndex', operator: 'greaterThan', value: 15 }] });
  rule('excess_conditions', 'approve_with_conditions', {
    all: [
      { fact: 'excessPercent', operator: 'greaterThan', value: 0 },
      { fact: 'excessPercent', operator: 'lessThanInclusive', value: 10 },
    ],
  });
  rule('excess_escalate', 'escalate', {
    all: [
      { fact: 'excessPercent', operator: 'greaterThan', value: 10 },
      { fact: 'excessPercent', operator: 'lessThanInclusive', value: 25 },
    ],
  });
  rule('excess_hold', 'hold', { all: [{ fact: 'excessPercent', operator: 'greaterThan', value: 25 }] });
  return engine;
}

const WEIGHT = { A: 0.5, B: 0.75, C: 1, D: 1.5, E: 2 } as const;
function facts(input: CheckInput) {
  const available = Math.min(
    input.limitMinor - input.exposureMinor,
    input.groupLimitMinor === null
      ? Number.POSITIVE_INFINITY
      : input.groupLimitMinor - (input.groupExposureMinor ?? 0),
  );
  const excess = input.orderMinor - Math.max(available, 0);
  return {
    ...input,
    overdueIndex: (WEIGHT[input.riskClass] * input.overdueMinorDays) / Math.max(input.limitMinor, 1),
    excessPercent:
      input.orderMinor <= available ? 0 : input.limitMinor > 0 ? (excess * 100) / input.limitMinor : 1e9,
  };
}

async function engineRate(seconds = 2): Promise<number> {
  const engine = rulesEngine();
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const { events } = await engine.run(facts(inputs[n % inputs.length] as CheckInput));
    events.reduce(
      (w, e) => (SEVERITY[e.type as Outcome] > SEVERITY[w] ? (e.type as Outcome) : w),
      'approve' as Outcome,
    );
    n += 1;
  }
  return n / seconds;
}

function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const KEY = 'fk_bench_admin_key';

/** Seeds 200 customers with generous limits into the store `env` names, then serves it. */
async function fulcrumOn(port: number, env: NodeJS.ProcessEnv) {
  // Generous limits, so the run measures decisions that are written, not refusals.
  const seed = spawn(process.execPath, ['--import', 'tsx', 'bench/seed-bench-customers.ts', '200'], {
    env,
    stdio: 'inherit',
  });
  await new Promise((resolve) => seed.on('exit', resolve));
  const { base, server } = await startServer({ port, env, timeoutMs: 20_000, stdio: 'inherit' });
  const page = (await (
    await fetch(`${base}/v1/customers?limit=500`, { headers: { authorization: `Bearer ${KEY}` } })
  ).json()) as { items: { id: string }[] };
  return { base, server, customers: page.items.map((c) => c.id) };
}

const DURATION_S = 10;
let counter = 0;
/**
 * autocannon, 50 connections: POST /v1/orders (or `path`), each order for the next of `customers`;
 * `keyed`: each with its own Idempotency-Key, as a client that retries safely sends them.
 */
const orderLoad = (
  base: string,
  customers: readonly string[],
  {
    keyed = false,
    path = '/v1/orders',
    connections = 50,
  }: { keyed?: boolean; path?: string; connections?: number } = {},
) =>
  cannon({
    url: `${base}${path}`,
    connections,
    duration: DURATION_S,
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          counter += 1;
          return {
            ...request,
            ...(keyed ? { headers: { ...request.headers, 'idempotency-key': `bench-${counter}` } } : {}),
            body: JSON.stringify({
              customerId: customers[counter % customers.length],
              externalId: `BENCH-${counter}`,
              amountMinor: 10_000 + (counter % 50) * 100,
              currency: 'CNY',
            }),
          };
        },
      },
    ],
  });
/** Desk runs from a server's /metrics: how many, and how many took over 0.1 s (waiting on a lock). */
async function deskRuns(base: string): Promise<{ runs: number; over100ms: number }> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
  const runs = value(/^fulcrum_order_desk_run_seconds_count (\d+)/m);
  return { runs, over100ms: runs - value(/^fulcrum_order_desk_run_seconds_bucket\{le="0\.1"\} (\d+)/m) };
}

/** Two autocannon loads at once, 25 connections each: one per server process. */
async function splitLoad(bases: readonly string[], customers: readonly string[]) {
  const results = await Promise.all(bases.map((b) => orderLoad(b, customers, { connections: 25 })));
  return {
    requestsPerSecond: results.reduce((t, r) => t + r.requests.average, 0),
    p99Ms: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((t, r) => t + r.non2xx, 0),
  };
}

/**
 * PostgreSQL (issue 21, item 3): the durable floor written for it (bench/durable-floor-pg.mjs),
 * then POST /v1/orders on one server process and on two beside each other on the same database,
 * each in a scratch schema; the desk runs that waited over 0.1 s are counted from /metrics.
 */
async function postgresPart(pgUrl: string, env: NodeJS.ProcessEnv, floorCustomers: readonly string[]) {
  const floor = await withScratchSchema(pgUrl, 'bench_floor', async (url) => {
    const server = spawn(process.execPath, ['bench/durable-floor-pg.mjs'], {
      env: { ...env, DATABASE_URL: url, PORT: '3914' },
      stdio: 'inherit',
    });
    try {
      await waitUntilUp('http://127.0.0.1:3914/health', 20_000);
      return await orderLoad('http://127.0.0.1:3914', floorCustomers);
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  });
  return withScratchSchema(pgUrl, 'bench_credit', async (url) => {
    const first = await fulcrumOn(3913, { ...env, DATABASE_URL: url });
    const second = await startServer({
      port: 3915,
      env: { ...env, DATABASE_URL: url },
      timeoutMs: 20_000,
      stdio: 'inherit',
    });
    try {
      const one = await orderLoad(first.base, first.customers);
      const before = await Promise.all([first.base, second.base].map(deskRuns));
      const two = await splitLoad([first.base, second.base], first.customers);
      const after = await Promise.all([first.base, second.base].map(deskRuns));
      const waited = after.reduce(
        (t, a, i) => ({
          runs: t.runs + a.runs - (before[i]?.runs ?? 0),
          over100ms: t.over100ms + a.over100ms - (before[i]?.over100ms ?? 0),
        }),
        { runs: 0, over100ms: 0 },
      );
      return { floor, one, two, waited };
    } finally {
      first.server.kill('SIGTERM');
      second.server.kill('SIGTERM');
    }
  });
}

async function httpPart() {
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-bench-credit-'));
  const children: ChildProcess[] = [];
  const pgUrl = process.env.BENCH_PG_URL;
  try {
    const env = {
      ...process.env,
      FULCRUM_DATA_DIR: dir,
      FULCRUM_DEMO: '0',
      FULCRUM_BOOTSTRAP_KEY: KEY,
      LOG_LEVEL: 'error',
      DATABASE_URL: '',
      // One key sends every order: the per-principal write limit would measure itself.
      FULCRUM_WRITES_PER_MINUTE: '0',
      FULCRUM_DUNNING_CRON: 'off',
      FULCRUM_SCORING_CRON: 'off',
    };
    children.push(
      spawn(process.execPath, ['bench/bare-server.mjs'], { env: { ...env, PORT: '3911' }, stdio: 'inherit' }),
      spawn(process.execPath, ['bench/durable-floor-server.mjs'], {
        env: { ...env, PORT: '3912' },
        stdio: 'inherit',
      }),
    );
    const [sqlite] = await Promise.all([
      fulcrumOn(3910, env),
      waitUntilUp('http://127.0.0.1:3911/', 20_000),
      waitUntilUp('http://127.0.0.1:3912/health', 20_000),
    ]);
    children.push(sqlite.server);
    const bare = await cannon({ url: 'http://127.0.0.1:3911/', connections: 50, duration: DURATION_S });
    const floor = await orderLoad('http://127.0.0.1:3912', sqlite.customers);
    const orders = await orderLoad(sqlite.base, sqlite.customers);
    const keyed = await orderLoad(sqlite.base, sqlite.customers, { keyed: true });
    const whatIf = await orderLoad(sqlite.base, sqlite.customers, { path: '/v1/orders/check' });
    const postgres = pgUrl ? await postgresPart(pgUrl, env, sqlite.customers) : null;
    return { bare, floor, orders, keyed, whatIf, postgres };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}

const compiled = compilePolicy(DEFAULT_POLICY, 1);
const compiledPerSecond = perSecond(compiled);
const handPerSecond = perSecond(handwrittenDefaultPolicy);
const enginePerSecond = await engineRate();
if (process.argv.includes('--in-process')) {
  console.log(
    JSON.stringify({
      compiledPerSecond,
      handPerSecond,
      enginePerSecond,
      ratio: compiledPerSecond / handPerSecond,
    }),
  );
  process.exit(0);
}
const { bare, floor, orders, keyed, whatIf, postgres } = await httpPart();

const rows = [
  ['compiled policy (in process)', `${Math.round(compiledPerSecond).toLocaleString('en')} checks/s`, ''],
  ['hand-written function (in process)', `${Math.round(handPerSecond).toLocaleString('en')} checks/s`, ''],
  ['json-rules-engine (in process)', `${Math.round(enginePerSecond).toLocaleString('en')} checks/s`, ''],
  ['compiled ÷ hand-written', (compiledPerSecond / handPerSecond).toFixed(2), 'target ≥ 0.25'],
  [
    'bare Fastify route (HTTP)',
    `${Math.round(bare.requests.average).toLocaleString('en')} req/s`,
    `p99 ${bare.latency.p99} ms`,
  ],
  [
    'durable floor: hand-written order write (HTTP)',
    `${Math.round(floor.requests.average).toLocaleString('en')} req/s`,
    `p99 ${floor.latency.p99} ms; ${(floor.requests.average / bare.requests.average).toFixed(2)} × bare`,
  ],
  [
    'POST /v1/orders, SQLite (HTTP)',
    `${Math.round(orders.requests.average).toLocaleString('en')} req/s`,
    `p99 ${orders.latency.p99} ms`,
  ],
  ['orders ÷ bare route', (orders.requests.average / bare.requests.average).toFixed(2), ''],
  [
    'orders ÷ durable floor',
    (orders.requests.average / floor.requests.average).toFixed(2),
    `target ≥ 0.85, p99 ≤ 1.5 × the floor's (${(orders.latency.p99 / floor.latency.p99).toFixed(1)} ×)`,
  ],
  [
    'POST /v1/orders with Idempotency-Key, SQLite (HTTP)',
    `${Math.round(keyed.requests.average).toLocaleString('en')} req/s`,
    `p99 ${keyed.latency.p99} ms; non-2xx ${keyed.non2xx}`,
  ],
  ['keyed ÷ unkeyed orders', (keyed.requests.average / orders.requests.average).toFixed(2), 'target ≥ 0.9'],
  [
    'POST /v1/orders/check (what-if), SQLite (HTTP)',
    `${Math.round(whatIf.requests.average).toLocaleString('en')} req/s`,
    `p99 ${whatIf.latency.p99} ms; non-2xx ${whatIf.non2xx}`,
  ],
  ...(postgres
    ? [
        [
          'PostgreSQL durable floor: hand-written order write (HTTP)',
          `${Math.round(postgres.floor.requests.average).toLocaleString('en')} req/s`,
          `p99 ${postgres.floor.latency.p99} ms; non-2xx ${postgres.floor.non2xx}`,
        ],
        [
          'POST /v1/orders, PostgreSQL, one process (HTTP)',
          `${Math.round(postgres.one.requests.average).toLocaleString('en')} req/s`,
          `p99 ${postgres.one.latency.p99} ms; non-2xx ${postgres.one.non2xx}; ${(postgres.one.requests.average / postgres.floor.requests.average).toFixed(2)} × floor`,
        ],
        [
          'POST /v1/orders, PostgreSQL, two processes (HTTP)',
          `${Math.round(postgres.two.requestsPerSecond).toLocaleString('en')} req/s`,
          `p99 ${postgres.two.p99Ms} ms; non-2xx ${postgres.two.non2xx}; desk runs over 0.1 s: ${postgres.waited.over100ms} of ${postgres.waited.runs}`,
        ],
        [
          'PostgreSQL, two processes ÷ floor',
          (postgres.two.requestsPerSecond / postgres.floor.requests.average).toFixed(2),
          'target ≥ 0.7',
        ],
      ]
    : []),
  [
    'orders non-2xx / errors',
    `${orders.non2xx} / ${orders.errors}`,
    `floor: ${floor.non2xx} / ${floor.errors}`,
  ],
];
console.log('\n| measure | value | note |\n| --- | --- | --- |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(
  JSON.stringify({
    bench: 'credit-check',
    compiledPerSecond: Math.round(compiledPerSecond),
    handwrittenPerSecond: Math.round(handPerSecond),
    jsonRulesEnginePerSecond: Math.round(enginePerSecond),
    compiledVsHandwritten: Number((compiledPerSecond / handPerSecond).toFixed(3)),
    bareRequestsPerSecond: Math.round(bare.requests.average),
    bareP99Ms: bare.latency.p99,
    floorRequestsPerSecond: Math.round(floor.requests.average),
    floorP99Ms: floor.latency.p99,
    floorVsBare: Number((floor.requests.average / bare.requests.average).toFixed(3)),
    ordersRequestsPerSecond: Math.round(orders.requests.average),
    ordersP99Ms: orders.latency.p99,
    ordersVsBare: Number((orders.requests.average / bare.requests.average).toFixed(3)),
    ordersVsFloor: Number((orders.requests.average / floor.requests.average).toFixed(3)),
    ordersNon2xx: orders.non2xx,
    keyedRequestsPerSecond: Math.round(keyed.requests.average),
    keyedP99Ms: keyed.latency.p99,
    keyedNon2xx: keyed.non2xx,
    keyedVsUnkeyed: Number((keyed.requests.average / orders.requests.average).toFixed(3)),
    whatIfRequestsPerSecond: Math.round(whatIf.requests.average),
    whatIfP99Ms: whatIf.latency.p99,
    whatIfNon2xx: whatIf.non2xx,
    ...(postgres
      ? {
          postgresFloorRequestsPerSecond: Math.round(postgres.floor.requests.average),
          postgresFloorP99Ms: postgres.floor.latency.p99,
          postgresRequestsPerSecond: Math.round(postgres.one.requests.average),
          postgresP99Ms: postgres.one.latency.p99,
          postgresNon2xx: postgres.one.non2xx,
          postgresTwoProcessesRequestsPerSecond: Math.round(postgres.two.requestsPerSecond),
          postgresTwoProcessesP99Ms: postgres.two.p99Ms,
          postgresTwoProcessesNon2xx: postgres.two.non2xx,
          postgresDeskRuns: postgres.waited.runs,
          postgresDeskRunsOver100ms: postgres.waited.over100ms,
          postgresVsFloor: Number(
            (postgres.two.requestsPerSecond / postgres.floor.requests.average).toFixed(3),
          ),
        }
      : {}),
  }),
);
