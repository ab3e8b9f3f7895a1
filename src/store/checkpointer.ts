import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background thread folds the write-ahead log back into the database file. */
const CHECKPOINT_EVERY_MS = 500;

// A worker evaluated from source is plain CommonJS: it loads better-sqlite3 by resolved path,
// which works the same from src/ (tests) and dist/ (the server).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
`;

/**
 * SQLite checkpoints the WAL inside whichever commit crosses the threshold, fsync included — a
 * pause of milliseconds in the middle of serving requests. A second connection on a worker thread
 * checkpoints instead (PASSIVE: it never blocks the writer); the main connection keeps a high
 * automatic threshold only as a safety net should the thread fall behind.
 */
export function startCheckpointer(file: string): { stop(): Promise<void> } {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      everyMs: CHECKPOINT_EVERY_MS,
    },
  });
  worker.unref();
  return {
    async stop() {
      await worker.terminate();
    },
  };
}
