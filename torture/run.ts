import { crashLoop } from './crash-loop.js';
import { fuzz } from './fuzz.js';
import { simulate } from './simulate.js';

/**
 * `npm run torture`: the long runs, one JSON line per part on standard output, progress on
 * standard error. Options as NAME=VALUE: parts=fuzz,crash,simulate stores=sqlite,postgres
 * kills=1000 requests=100000 steps=20000 seed=N.
 */
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=') as [string, string]));
const seed = Number(args.seed ?? Date.now() % 1_000_000);
const parts = (args.parts ?? 'fuzz,simulate,crash').split(',');
const log = (line: string) => process.stderr.write(`${line}\n`);
const print = (part: string, report: object) =>
  process.stdout.write(`${JSON.stringify({ part, ...report })}\n`);

if (parts.includes('fuzz')) {
  const report = await fuzz({ requests: Number(args.requests ?? 100_000), seed, log });
  print('fuzz', { ...report, failures: report.failures.slice(0, 10) });
}
if (parts.includes('simulate'))
  for (const dialect of (args.stores ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[])
    print('simulation', {
      dialect,
      ...(await simulate({ seed, steps: Number(args.steps ?? 20_000), dialect })),
    });
if (parts.includes('crash'))
  for (const dialect of (args.stores ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[]) {
    const report = await crashLoop({ dialect, kills: Number(args.kills ?? 1_000), seed, log });
    print('crash-loop', { ...report, violations: report.violations.slice(0, 20) });
  }
