/**
 * `npm run bench`: every benchmark of the performance targets (issue 21) in one run, each in a
 * process of its own, then one table of target against measure. Each benchmark's own table is
 * printed as it runs; the last line is one JSON document of every benchmark's JSON lines.
 * BENCH_PG_URL=postgres://… adds the PostgreSQL rows of the order benchmark.
 */
import { spawn } from 'node:child_process';

type Json = Record<string, unknown>;

/** Runs one benchmark, echoing its output, and returns the JSON lines it printed. */
function run(script: string, args: string[] = []): Promise<Json[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      resolve(
        out
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Json),
      );
    });
  });
}

const num = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);
const seconds = (value: unknown) => `${num(value).toFixed(3)} s`;
const row = (item: string, measure: string, target: string, met: boolean) => ({ item, measure, target, met });

const credit = (await run('bench/credit-check.ts'))[0] ?? {};
await run('bench/import.ts');
const scoring = ((await run('bench/scoring.ts'))[0]?.results ?? []) as Json[];
const heavy = (await run('bench/heavy-jobs.ts')).filter((r) => r.job !== undefined);
const receivables = (await run('bench/receivables.ts'))[0] ?? {};
const start = (await run('bench/start.ts'))[0] ?? {};

const idle = heavy.find((r) => r.job === 'none');
const floorOnly = (r: Json) => String(r.job).includes('(floor)');
// On two cores any busy core costs the desk: the floor row says how much, in the same run.
const floor = heavy.find(floorOnly);
const rows = [
  row(
    '1. POST /v1/orders ÷ durable floor (SQLite)',
    `${credit.ordersVsFloor} (p99 ${credit.ordersP99Ms} vs ${credit.floorP99Ms} ms)`,
    '≥ 0.85, p99 ≤ 1.5 ×',
    num(credit.ordersVsFloor) >= 0.85 && num(credit.ordersP99Ms) <= 1.5 * num(credit.floorP99Ms),
  ),
  row('2. keyed ÷ unkeyed orders', String(credit.keyedVsUnkeyed), '≥ 0.9', num(credit.keyedVsUnkeyed) >= 0.9),
  ...(credit.postgresVsFloor === undefined
    ? []
    : [
        row(
          '3. PostgreSQL, two processes ÷ PostgreSQL floor',
          String(credit.postgresVsFloor),
          '≥ 0.7',
          num(credit.postgresVsFloor) >= 0.7,
        ),
      ]),
  ...scoring.map((r) =>
    row(
      `4. CLI fit, ${r.dataset} ${r.kind}`,
      `${r.cliFitSeconds} s (read ${r.cliReadSeconds} s)`,
      `≤ ${r.referenceSeconds} s (scikit-learn)`,
      r.cliMeetsTime === true,
    ),
  ),
  ...heavy
    .filter((r) => r.job !== 'none' && !floorOnly(r))
    .map((r) =>
      row(
        `5. order p99 beside: ${r.job}`,
        `${r.p99Ms} ms = ${r.p99VsIdle} × idle (${idle?.p99Ms} ms; one core busy: ${floor?.p99VsIdle} ×)`,
        '≤ 2 × idle',
        num(r.p99VsIdle) <= 2,
      ),
    ),
  // Item 6: [what, the field of bench/receivables.ts's JSON line, the most seconds it may take].
  ...(
    [
      ['aging, whole book', 'agingSeconds', 0.02],
      ['aging as of a past date', 'agingReplaySeconds', 0.3],
      ['aging by customer', 'agingByCustomerSeconds', 0.3],
      ['countback DSO / CEI / ADD, one month', 'countbackDsoSeconds', 0.3],
      ['the same, 12 months', 'countbackDso12MonthsSeconds', 1],
      ['first dunning run', 'dunningSeconds', 10],
    ] as const
  ).map(([what, field, most]) =>
    row(`6. ${what}`, seconds(receivables[field]), `≤ ${most} s`, num(receivables[field]) <= most),
  ),
  row(
    '7. first start (build + demo seed)',
    `${num(start.firstStartSeconds).toFixed(1)} s`,
    '≤ 20 s',
    num(start.firstStartSeconds) <= 20,
  ),
  row(
    '7. restart on the seeded book',
    `${num(start.restartSeconds).toFixed(2)} s`,
    '≤ 2 s',
    num(start.restartSeconds) <= 2,
  ),
];
console.log('\n| target | measured | aim | met |\n| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.item} | ${r.measure} | ${r.target} | ${r.met ? '✓' : '✗'} |`);
console.log(JSON.stringify({ bench: 'all', credit, scoring, heavy, receivables, start, targets: rows }));
