import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { type Browser, chromium } from 'playwright-core';

/** Polls `url` until it answers 2xx: a process that has started listening. */
export async function waitUntilUp(
  url: string,
  timeoutMs: number,
  ours: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (ours() && (await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A port nobody listens on now, chosen by the OS (a fixed or random one may be an outgoing connection's). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * `fulcrum serve` from the built bundle, as a process of its own on a free port with `env` over
 * the current environment; resolves once /health answers. A server that exits first (or never
 * answers) fails at once with the end of what it wrote to stderr, not after the whole timeout.
 * Used by the browser and multi-process tests and by the HTTP benchmarks.
 */
export async function startServer(options: {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  port?: number;
  stdio?: 'ignore' | 'inherit';
}): Promise<{ base: string; server: ChildProcess }> {
  const port = options.port ?? (await freePort());
  const server = spawn(process.execPath, ['bin/fulcrum.js', 'serve'], {
    // The daily jobs keep time of day out of tests: they are tested on their own.
    env: {
      ...process.env,
      LOG_LEVEL: 'error',
      FULCRUM_DUNNING_CRON: 'off',
      FULCRUM_SCORING_CRON: 'off',
      FULCRUM_MONITORING_CRON: 'off',
      ...options.env,
      PORT: String(port),
    },
    stdio: ['ignore', options.stdio ?? 'ignore', 'pipe'],
  });
  let stderr = '';
  // Our own server says it listens on our port: /health alone could be answered by another
  // process that took the port between the probe and the listen (a parallel test, a benchmark).
  let listening = false;
  server.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
    if (!listening && stderr.includes(`:${port}/`)) listening = true;
    if (options.stdio === 'inherit') process.stderr.write(chunk);
  });
  const exited = new Promise<never>((_, reject) =>
    server.once('exit', (code, signal) =>
      reject(new Error(`fulcrum serve exited (${signal ?? code}) before it was up:\n${stderr}`)),
    ),
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilUp(`${base}/health`, options.timeoutMs, () => listening), exited]);
  } catch (error) {
    server.kill();
    throw new Error(`${(error as Error).message}\nstderr of the server:\n${stderr}`);
  }
  exited.catch(() => {}); // a later exit is the test's business
  return { base, server };
}

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this machine needs (see DEVELOPERS.md). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
