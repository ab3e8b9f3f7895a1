/**
 * `npm start` as a newcomer meets it (issue 21, item 7): the first start — the build and the demo
 * seed into an empty data directory — and a restart on the book it left, each timed from the
 * command to the first 2xx of /health/ready. Targets on this machine kind: first start ≤ 20 s,
 * restart ≤ 2 s. `npm run bench:start` (it rebuilds dist/ in place).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntilUp } from '../test/support/server-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'fulcrum-bench-start-'));

async function timedStart(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  // Its own process group, so the server npm started goes down with it.
  const npm = spawn('npm', ['start'], {
    env: {
      ...process.env,
      FULCRUM_DATA_DIR: dataDir,
      PORT: String(port),
      DATABASE_URL: '',
      LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
    detached: true,
  });
  try {
    await waitUntilUp(`http://127.0.0.1:${port}/health/ready`, 300_000);
    return (performance.now() - started) / 1000;
  } finally {
    process.kill(-(npm.pid as number), 'SIGTERM');
    await new Promise((resolve) => npm.once('exit', resolve));
  }
}

try {
  rmSync('dist/.build-stamp', { force: true });
  const first = await timedStart();
  const restart = await timedStart();
  console.log('| measure | seconds | target |\n| --- | --- | --- |');
  console.log(`| first start: build and demo seed | ${first.toFixed(1)} | ≤ 20 |`);
  console.log(`| restart on the seeded book | ${restart.toFixed(2)} | ≤ 2 |`);
  console.log(JSON.stringify({ bench: 'start', firstStartSeconds: first, restartSeconds: restart }));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
