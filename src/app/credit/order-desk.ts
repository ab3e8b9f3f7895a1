import type { Store } from '../../store/db.js';
import { storeVersion } from '../../store/store-version.js';
import { type Executor, isUniqueViolation, translateConstraintError } from '../../store/write.js';
import { observations } from '../observations.js';
import type { Services } from '../services.js';
import {
  decideOrders,
  type OrderOutcome,
  type PendingOrder,
  type PlacedOrder,
  type Preview,
  placedOrThrow,
  previewWith,
  type ValidOrder,
} from './decide-orders.js';
import { keysOf, recordedKeys, replayedOrders } from './keyed-orders.js';
import { lockCreditSubjects } from './order-lock.js';
import { CachingReader, type PositionRows, readPositionRows, storeReader } from './position-reader.js';

/** Orders decided in one transaction at most; more wait for the next one. */
const MAX_RUN = 256;
/** Customers whose position is held in memory before the cache starts afresh. */
const MAX_CACHED_CUSTOMERS = 50_000;

/** A placed order with its recorded answer (keyed orders), or the key's earlier answer stands. */
export type KeyedOrderResult =
  | { readonly placed: PlacedOrder; readonly answer?: string }
  | { readonly replayed: true };

interface Waiting {
  readonly pending: PendingOrder;
  resolve(result: KeyedOrderResult): void;
  reject(error: unknown): void;
}

interface WaitingPreview {
  readonly order: ValidOrder;
  resolve(preview: Preview): void;
  reject(error: unknown): void;
}

/**
 * Group commit. Orders arriving while a transaction is running wait; the next transaction decides
 * all of them in turn and commits them with their audit events at once — every response is sent
 * only after its commit.
 *
 * On SQLite (one process owns the store) credit positions are held in memory between runs, trusted
 * only while the store's version is the one the desk left behind: any other write (a payment, a
 * limit change, an import from another process) makes it read afresh. On PostgreSQL (several
 * server processes may share the database) a run first locks the rows of every customer and group
 * in it, in the order every writer follows, then reads their positions afresh in a few queries.
 */
class OrderDesk {
  readonly #services: Services;
  readonly #waiting: Waiting[] = [];
  readonly #previews: WaitingPreview[] = [];
  readonly #positions = new CachingReader();
  #versionLeft: string | null = null;
  #draining = false;
  #whenIdle: (() => void)[] = [];

  constructor(services: Services) {
    this.#services = services;
  }

  /** Resolves once every order submitted so far is decided and answered. */
  settled(): Promise<void> {
    if (!this.#draining) return Promise.resolve();
    return new Promise((resolve) => this.#whenIdle.push(resolve));
  }

  submit(pending: PendingOrder): Promise<KeyedOrderResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ pending, resolve, reject });
      this.#start();
    });
  }

  /**
   * A what-if, answered in the next run from the positions held in memory (embedded store only):
   * after the run's orders, so it sees them; it reserves and writes nothing.
   */
  preview(order: ValidOrder): Promise<Preview> {
    return new Promise((resolve, reject) => {
      this.#previews.push({ order, resolve, reject });
      this.#start();
    });
  }

  #start(): void {
    if (this.#draining) return;
    this.#draining = true;
    setImmediate(() => void this.#drain());
  }

  /**
   * Runs after the event loop has read every request that was ready (setImmediate), and yields to
   * it again between runs: a transaction on the embedded store never waits for I/O, so without
   * this each run would hold one order only.
   */
  async #drain(): Promise<void> {
    await this.#decide(this.#waiting.splice(0, MAX_RUN), this.#previews.splice(0));
    if (this.#waiting.length > 0 || this.#previews.length > 0) setImmediate(() => void this.#drain());
    else {
      this.#draining = false;
      for (const resolve of this.#whenIdle.splice(0)) resolve();
    }
  }

  async #decide(run: Waiting[], previews: readonly WaitingPreview[] = [], retried = false): Promise<void> {
    const started = performance.now();
    try {
      const pending = run.map((w) => w.pending);
      const { db } = this.#services.store;
      // What-ifs alone write nothing: on the embedded store they read without taking the write
      // lock, so a job writing through another connection (the scoring job, an import) never holds
      // them — and a lock wait there would stop the whole event loop (SQLite waits synchronously).
      const readOnly = run.length === 0 && this.#services.store.dialect !== 'postgres';
      const inTransaction = <T>(work: (trx: Executor) => Promise<T>) =>
        readOnly ? work(db) : db.transaction().execute(work);
      const { outcomes, previewed } = await inTransaction(async (trx) => {
        // PostgreSQL: the run's customers are locked before its keys are looked up. A run beside it
        // (another server process) that placed the same key commits the order and the key's answer
        // under those locks: looked up before them, the key seemed new and the order a duplicate.
        if (this.#services.store.dialect === 'postgres')
          await lockCreditSubjects(
            trx,
            'postgres',
            pending.map((p) => p.order.customerId),
          );
        // PostgreSQL reads its keys' answers with the positions, in one statement after the locks.
        const shared =
          this.#services.store.dialect === 'postgres' ? await this.#readShared(trx, pending) : null;
        const replayed = replayedOrders(
          pending,
          shared?.recordedKeys ?? (await recordedKeys(trx, keysOf(pending))),
        );
        const fresh = pending.filter((_, i) => !replayed.has(i));
        const decided = shared
          ? { outcomes: await this.#decideShared(trx, fresh, shared), previewed: [], versionAtStart: null }
          : await this.#decideEmbedded(trx, fresh, previews);
        let next = 0;
        const outcomes = pending.map((_, i) => (replayed.has(i) ? null : decided.outcomes[next++]));
        // The store as the run leaves it, its keys' answers written too: the next run trusts memory
        // only if nobody else wrote since. Read without a transaction, memory is as current as the
        // version the run began with: a write by another connection after it makes the next run
        // read afresh.
        if (this.#services.store.dialect !== 'postgres')
          this.#versionLeft = readOnly ? decided.versionAtStart : await storeVersion(trx);
        return { outcomes, previewed: decided.previewed };
      });
      if (run.length > 0)
        observations.emit('desk.run', { orders: run.length, seconds: (performance.now() - started) / 1000 });
      run.forEach((w, i) => {
        const outcome = outcomes[i];
        try {
          w.resolve(outcome === null ? { replayed: true } : placedOrThrow(outcome));
        } catch (error) {
          w.reject(error);
        }
      });
      previews.forEach((p, i) => {
        const result = previewed[i];
        if (result && 'preview' in result) p.resolve(result.preview);
        else p.reject(result?.refused ?? new Error('no answer for a what-if'));
      });
    } catch (error) {
      // Nothing of the run was written: forget what memory holds and decide each order alone,
      // so one order's failure is that order's error only; the what-ifs read the store instead.
      this.#versionLeft = null;
      this.#positions.clear();
      const today = this.#services.clock.today();
      for (const p of previews)
        previewWith(storeReader(this.#services.store.db), p.order, today).then(p.resolve, p.reject);
      if (run.length > 1) for (const w of run) await this.#decide([w]);
      else if (!retried && run[0]?.pending.key && isUniqueViolation(error))
        // A run beside this one (PostgreSQL) answered the same key first: once more, it replays.
        await this.#decide(run, [], true);
      else
        try {
          translateConstraintError(error);
        } catch (translated) {
          run[0]?.reject(translated);
        }
    }
  }

  async #decideEmbedded(
    trx: Executor,
    pending: readonly PendingOrder[],
    previews: readonly WaitingPreview[],
  ): Promise<{ outcomes: OrderOutcome[]; previewed: PreviewOutcome[]; versionAtStart: string }> {
    const version = await storeVersion(trx);
    if (version !== this.#versionLeft || this.#positions.size > MAX_CACHED_CUSTOMERS) this.#positions.clear();
    this.#versionLeft = null;
    this.#positions.readThrough(storeReader(trx));
    const outcomes =
      pending.length > 0 ? await decideOrders(trx, this.#positions, pending, this.#services) : [];
    const today = this.#services.clock.today();
    const previewed: PreviewOutcome[] = [];
    for (const { order } of previews)
      previewed.push(
        await previewWith(this.#positions, order, today).then(
          (preview) => ({ preview }),
          (refused: unknown) => ({ refused }),
        ),
      );
    return { outcomes, previewed, versionAtStart: version };
  }

  /**
   * PostgreSQL: the run's customers are locked already; their positions, which of its external ids
   * are taken and which of its keys are answered are read afresh, in one statement.
   */
  #readShared(trx: Executor, pending: readonly PendingOrder[]): Promise<PositionRows> {
    return readPositionRows(
      trx,
      pending.map((p) => p.order.customerId),
      this.#services.clock.today(),
      { orderExternalIds: pending.map((p) => p.order.externalId), keys: keysOf(pending) },
    );
  }

  /** PostgreSQL: the run's orders not replayed, decided from the rows read after the locks. */
  async #decideShared(
    trx: Executor,
    fresh: readonly PendingOrder[],
    rows: PositionRows,
  ): Promise<OrderOutcome[]> {
    const ids = fresh.map((p) => p.order.customerId);
    const reader = new CachingReader(storeReader(trx));
    reader.hold(rows, ids, this.#services.clock.today());
    return decideOrders(trx, reader, fresh, this.#services, new Set(rows.takenOrderExternalIds));
  }
}

type PreviewOutcome = { readonly preview: Preview } | { readonly refused: unknown };

const desks = new WeakMap<Store, OrderDesk>();

/** The one order desk of a store in this process. */
export function orderDesk(services: Services): OrderDesk {
  let desk = desks.get(services.store);
  if (!desk) {
    desk = new OrderDesk(services);
    desks.set(services.store, desk);
  }
  return desk;
}

/** Waits for the orders a store's desk holds, if it has one: before the store is closed. */
export function ordersSettled(store: Store): Promise<void> {
  return desks.get(store)?.settled() ?? Promise.resolve();
}
