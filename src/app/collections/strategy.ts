import {
  DEFAULT_STRATEGY,
  type DunningStrategy,
  validateStrategy,
} from '../../core/collections/dunning-strategy.js';
import { requireText } from '../../core/customers/customer.js';
import { appendAudit } from '../../store/audit.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';

export interface StrategyVersion {
  readonly version: number;
  readonly strategy: DunningStrategy;
  readonly createdBy: string;
  readonly createdAt: string | null;
}

/** The strategy in force: the latest version stored, or the built-in one (version 0). */
export async function currentStrategy(executor: Executor): Promise<StrategyVersion> {
  const row = await executor
    .selectFrom('dunning_strategies')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return { version: 0, strategy: DEFAULT_STRATEGY, createdBy: 'system', createdAt: null };
  return {
    version: row.version,
    strategy: JSON.parse(row.document_json) as DunningStrategy,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** A new version of the strategy; the next run follows it. Steps already taken stay taken. */
export async function saveStrategy(services: Services, actor: Actor, strategy: DunningStrategy) {
  validateStrategy(strategy);
  requireText(strategy.name, 'name', 200);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const { version: last } = await currentStrategy(trx);
    const version = last + 1;
    await trx
      .insertInto('dunning_strategies')
      .values({ version, document_json: JSON.stringify(strategy), created_by: actor, created_at: now })
      .execute();
    await appendAudit(trx, actor, now, [
      {
        action: 'dunning_strategy.saved',
        entityType: 'dunning_strategy',
        entityId: String(version),
        before: null,
        after: strategy,
      },
    ]);
    return { version, strategy, createdBy: actor, createdAt: now };
  });
}
