import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Executor } from './write.js';

interface Queued {
  readonly work: (trx: Executor) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Settled =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/**
 * Small independent writes that arrive together share one transaction, hence one sync to disk:
 * on the embedded store every commit is an fsync, and the one writer would otherwise make
 * concurrent requests queue behind each other's syncs. Each write must be a single statement: one
 * that fails is that caller's error only, because SQLite undoes the failed statement and keeps the
 * transaction (which is why this is for SQLite: PostgreSQL aborts the whole transaction, and runs
 * concurrent transactions on its pool anyway).
 */
export class GroupCommit {
  readonly #db: Kysely<Database>;
  readonly #queue: Queued[] = [];
  #scheduled = false;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  run<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // After the event loop has read every request that was ready: they join this commit.
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0);
    try {
      const settled = await this.#db.transaction().execute(async (trx) => {
        const results: Settled[] = [];
        for (const item of batch)
          results.push(
            await item.work(trx).then(
              (value): Settled => ({ ok: true, value }),
              (error: unknown): Settled => ({ ok: false, error }),
            ),
          );
        return results;
      });
      for (const [i, item] of batch.entries()) {
        const result = settled[i] as Settled;
        if (result.ok) item.resolve(result.value);
        else item.reject(result.error);
      }
    } catch (error) {
      // The commit itself failed: none of the batch was written.
      for (const item of batch) item.reject(error);
    }
    if (this.#queue.length > 0) setImmediate(() => void this.#flush());
    else this.#scheduled = false;
  }
}
