import type { Services } from '../app/services.js';
import { type Config, loadConfig } from '../config.js';
import { openStore } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { systemClock, ulidIds } from '../system.js';

/** Opens the configured store, migrated, with the real clock and ids: what every command starts from. */
export async function openRuntime(
  config: Config = loadConfig(),
): Promise<{ config: Config; services: Services }> {
  const store = openStore(config.store);
  await migrateToLatest(store);
  return { config, services: { store, clock: systemClock, ids: ulidIds() } };
}
