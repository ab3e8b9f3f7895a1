/**
 * The policy simulator on a book (issue 16 targets: one policy replayed over the demo book ≤ 200 ms,
 * over the 1,000,000-invoice book ≤ 10 s; a 500-candidate frontier on the demo book ≤ 60 s).
 * Reads the book of the data directory (FULCRUM_DATA_DIR or DATABASE_URL, as the server does):
 * e.g. `FULCRUM_DATA_DIR=/tmp/demo node bin/fulcrum.js demo seed` first, or the book that
 * `KEEP_BENCH_DB=1 npm run bench:provisions` leaves. Reports reading the book, one replay (median
 * of 5), the frontier and a stress test, each apart.
 * Usage: npm run bench:simulation [-- CANDIDATES]   (0: the book and one replay only)
 */
import { runFrontier } from '../src/app/simulation/frontier-run.js';
import { loadSimulationBook } from '../src/app/simulation/simulation-book.js';
import { runStress } from '../src/app/simulation/stress-run.js';
import { openRuntime } from '../src/cli/runtime.js';
import { replayOrders } from '../src/core/simulation/replay-book.js';
import { timed } from './bulk-load.js';

const candidates = Number(process.argv[2] ?? 500);
const { services } = await openRuntime();
try {
  const load = await timed(() => loadSimulationBook(services));
  const book = load.result;
  const policy = { decide: book.policy.evaluate, limitMinor: book.currentLimit };
  const replay = await timed(async () => replayOrders(book.orders, policy), 5);
  // Each figure as soon as it is known: on a large book the frontier takes long.
  console.log(
    JSON.stringify({
      sales: book.orders.length,
      readBookSeconds: Number(load.seconds.toFixed(2)),
      replayMs: Math.round(replay.seconds * 1000),
    }),
  );
  if (candidates === 0) process.exit(0);
  const stress = await timed(() => runStress(services));
  console.log(JSON.stringify({ stressSeconds: Number(stress.seconds.toFixed(1)) }));
  const frontier = await timed(() => runFrontier(services, { candidates }));
  console.log(
    JSON.stringify({
      frontier: {
        candidates,
        seconds: Number(frontier.seconds.toFixed(1)),
        current: frontier.result.current.salesMinor,
        currentLoss: frontier.result.current.lossMinor,
        baseline: frontier.result.baseline?.salesMinor ?? null,
        baselineLoss: frontier.result.baseline?.lossMinor ?? null,
        best: frontier.result.best?.salesMinor ?? null,
        bestLoss: frontier.result.best?.lossMinor ?? null,
        upliftPct: frontier.result.upliftPct,
      },
    }),
  );
} finally {
  await services.store.close();
}
