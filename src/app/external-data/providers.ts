import { DomainError } from '../../core/errors.js';
import { type ProviderConfig, parseProviderConfig } from '../../core/external-data/provider-config.js';
import { appendAudit } from '../../store/audit.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';

/** Saves a provider's configuration (new, or replacing the one of that name), audited. */
export async function saveProvider(
  services: Services,
  actor: Actor,
  input: unknown,
): Promise<ProviderConfig> {
  const config = parseProviderConfig(input);
  const now = services.clock.now().toISOString();
  await services.store.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('data_providers')
      .select('config_json')
      .where('name', '=', config.name)
      .executeTakeFirst();
    await trx
      .insertInto('data_providers')
      .values({ name: config.name, config_json: JSON.stringify(config), updated_by: actor, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ config_json: JSON.stringify(config), updated_by: actor, updated_at: now }),
      )
      .execute();
    await appendAudit(trx, actor, now, [
      {
        action: before ? 'data_provider.updated' : 'data_provider.created',
        entityType: 'data_provider',
        entityId: config.name,
        before: before ? (JSON.parse(before.config_json) as object) : null,
        after: config,
      },
    ]);
  });
  return config;
}

export async function providerConfig(executor: Executor, name: string): Promise<ProviderConfig> {
  const row = await executor
    .selectFrom('data_providers')
    .select('config_json')
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) throw new DomainError('provider_not_found', `no data provider is named "${name}"`, 'provider');
  return JSON.parse(row.config_json) as ProviderConfig;
}

export async function listProviders(executor: Executor) {
  const rows = await executor.selectFrom('data_providers').selectAll().orderBy('name').execute();
  return {
    items: rows.map((r) => ({
      ...(JSON.parse(r.config_json) as ProviderConfig),
      updatedBy: r.updated_by,
      updatedAt: r.updated_at,
    })),
  };
}

/** A customer's fetches, newest first: when each provider was asked and what came of it. */
export async function customerFetches(executor: Executor, customerId: string) {
  const rows = await executor
    .selectFrom('provider_fetches')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('fetched_at', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return {
    items: rows.map((r) => ({
      provider: r.provider,
      customerId: r.customer_id,
      status: r.status as 'ok' | 'failed' | 'circuit_open',
      fetchedAt: r.fetched_at,
      pages: r.pages,
      records: r.records,
      signalsNew: r.signals_new,
      skipped: r.skipped,
      error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
    })),
  };
}
