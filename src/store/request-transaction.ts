import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Dialect as KyselyDialect,
  type TransactionSettings,
} from 'kysely';

interface Held {
  readonly connection: DatabaseConnection;
  /** Savepoints open inside the held transaction. */
  depth: number;
  finished: boolean;
}

/**
 * One transaction around everything a piece of work does, however many transactions its code
 * opens: inside `run`, every query of the store goes to the held connection and every
 * `db.transaction()` becomes a savepoint of the held transaction (a failed one undoes its own part
 * only). Nothing is visible to others until `commit` — which is what makes a keyed write
 * exactly-once: the key's recorded answer commits with the write's effect, or neither does.
 */
export interface RequestTransaction {
  run<T>(work: () => T): T;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** The driver of a store, wrapped so that work inside a RequestTransaction uses its connection. */
class HoldingDriver implements Driver {
  readonly #inner: Driver;
  readonly #scope: AsyncLocalStorage<Held>;
  #initialized: Promise<void> | null = null;

  constructor(inner: Driver, scope: AsyncLocalStorage<Held>) {
    this.#inner = inner;
    this.#scope = scope;
  }

  #held(connection?: DatabaseConnection): Held | undefined {
    const held = this.#scope.getStore();
    if (!held || held.finished) return undefined;
    return connection === undefined || held.connection === connection ? held : undefined;
  }

  init(): Promise<void> {
    this.#initialized ??= this.#inner.init();
    return this.#initialized;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#held()?.connection ?? this.#inner.acquireConnection();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const held = this.#held(connection);
    if (!held) return this.#inner.beginTransaction(connection, settings);
    held.depth += 1;
    await connection.executeQuery(CompiledQuery.raw(`savepoint held_${held.depth}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const held = this.#held(connection);
    if (!held) return this.#inner.commitTransaction(connection);
    await connection.executeQuery(CompiledQuery.raw(`release savepoint held_${held.depth}`));
    held.depth -= 1;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const held = this.#held(connection);
    if (!held) return this.#inner.rollbackTransaction(connection);
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint held_${held.depth}`));
    await connection.executeQuery(CompiledQuery.raw(`release savepoint held_${held.depth}`));
    held.depth -= 1;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (this.#held(connection)) return;
    return this.#inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  /**
   * Takes a connection of its own and begins the transaction that `run` will hold — or, asked
   * from inside a held transaction (a use case holding one, called by a keyed request that holds
   * another), a savepoint of it: a second connection would wait for the first forever on SQLite.
   */
  async begin(): Promise<RequestTransaction> {
    const outer = this.#held();
    if (outer) {
      await this.beginTransaction(outer.connection, {});
      let ended = false;
      const end = async (how: 'commit' | 'rollback') => {
        if (ended) return;
        ended = true;
        await (how === 'commit'
          ? this.commitTransaction(outer.connection)
          : this.rollbackTransaction(outer.connection));
      };
      return { run: (work) => work(), commit: () => end('commit'), rollback: () => end('rollback') };
    }
    await this.init();
    const connection = await this.#inner.acquireConnection();
    try {
      await this.#inner.beginTransaction(connection, {});
    } catch (error) {
      await this.#inner.releaseConnection(connection);
      throw error;
    }
    const held: Held = { connection, depth: 0, finished: false };
    const end = async (how: 'commit' | 'rollback') => {
      if (held.finished) return;
      held.finished = true;
      try {
        if (how === 'commit') await this.#inner.commitTransaction(connection);
        else await this.#inner.rollbackTransaction(connection);
      } finally {
        await this.#inner.releaseConnection(connection);
      }
    };
    return {
      run: (work) => this.#scope.run(held, work),
      commit: () => end('commit'),
      rollback: () => end('rollback'),
    };
  }
}

/** A dialect whose driver can hold one transaction around a piece of work (`begin`). */
export function holdingDialect(inner: KyselyDialect): {
  dialect: KyselyDialect;
  begin: () => Promise<RequestTransaction>;
} {
  const scope = new AsyncLocalStorage<Held>();
  let driver: HoldingDriver | null = null;
  const dialect: KyselyDialect = {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver: () => {
      driver = new HoldingDriver(inner.createDriver(), scope);
      return driver;
    },
  };
  return {
    dialect,
    begin: () => {
      if (!driver) throw new Error('the store has no driver yet');
      return driver.begin();
    },
  };
}

/** `work` inside one held transaction of `store`: committed when it returns, rolled back when it throws. */
export async function inOneTransaction<T>(
  store: { begin(): Promise<RequestTransaction> },
  work: () => Promise<T>,
): Promise<T> {
  const held = await store.begin();
  try {
    const result = await held.run(work);
    await held.commit();
    return result;
  } catch (error) {
    await held.rollback();
    throw error;
  }
}
