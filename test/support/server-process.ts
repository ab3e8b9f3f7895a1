import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Polls `url` until it answers 2xx: a process that has started listening. */
export async function waitUntilUp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `fulcrum serve` from the built bundle, as a process of its own on `port` with `env` over the
 * current environment; resolves once /health answers (and stops the process if it never does).
 * Used by the browser and multi-process tests and by the HTTP benchmarks.
 */
export async function startServer(options: {
  port: number;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  stdio?: 'ignore' | 'inherit';
}): Promise<{ base: string; server: ChildProcess }> {
  const server = spawn(process.execPath, ['bin/fulcrum.js', 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'error', ...options.env, PORT: String(options.port) },
    stdio: options.stdio ?? 'ignore',
  });
  const base = `http://127.0.0.1:${options.port}`;
  try {
    await waitUntilUp(`${base}/health`, options.timeoutMs);
  } catch (error) {
    server.kill();
    throw error;
  }
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
