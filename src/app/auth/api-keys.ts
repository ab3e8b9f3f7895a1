import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../core/access/roles.js';
import { appendAudit } from '../../store/audit.js';
import type { Services } from '../services.js';
import { authenticate } from './authenticate.js';
import { hashSecret } from './principal.js';
import { parseSalesOwner } from './users.js';

export function newApiKeySecret(): string {
  return `fk_${randomBytes(32).toString('base64url')}`;
}

async function insertKey(
  services: Services,
  name: string,
  role: Role,
  secret: string,
  actor = 'system',
  salesOwner: string | null = null,
): Promise<string> {
  const now = services.clock.now().toISOString();
  const id = services.ids.next('key');
  await services.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_keys')
      .values({
        id,
        name,
        role,
        key_hash: hashSecret(secret),
        created_at: now,
        revoked_at: null,
        sales_owner: salesOwner,
      })
      .execute();
    // The audit event names the key, never the secret.
    await appendAudit(trx, actor, now, [
      {
        action: 'api_key.created',
        entityType: 'api_key',
        entityId: id,
        before: null,
        after: { id, name, role, salesOwner },
      },
    ]);
  });
  return id;
}

/** A new key for a system or a person; only its hash is kept, so the secret is returned once. */
export async function createApiKey(
  services: Services,
  actor: string,
  input: { name: string; role: Role; salesOwner?: string | null },
) {
  const key = newApiKeySecret();
  const salesOwner = parseSalesOwner(input.role, input.salesOwner);
  const id = await insertKey(services, input.name, input.role, key, actor, salesOwner);
  return { id, name: input.name, role: input.role, salesOwner, key };
}

/**
 * Makes sure an admin can get in on first start. With FULCRUM_BOOTSTRAP_KEY that key is
 * registered (idempotently); otherwise, when no key exists yet, one is generated and written to
 * `<dataDir>/bootstrap-admin-key` with mode 0600. Returns where the key can be found, if new.
 */
export async function ensureBootstrapKey(
  services: Services,
  options: { configuredKey: string | undefined; dataDir: string },
): Promise<{ created: boolean; file?: string }> {
  const { db } = services.store;
  if (options.configuredKey) {
    if (await authenticate(db, options.configuredKey, services.clock.now())) return { created: false };
    try {
      await insertKey(services, 'bootstrap admin (FULCRUM_BOOTSTRAP_KEY)', 'admin', options.configuredKey);
    } catch (error) {
      // Another instance starting at the same moment registered it first: that is the goal.
      if (await authenticate(db, options.configuredKey, services.clock.now())) return { created: false };
      throw error;
    }
    return { created: true };
  }
  const any = await db.selectFrom('api_keys').select('id').limit(1).executeTakeFirst();
  if (any) return { created: false };
  const secret = newApiKeySecret();
  await insertKey(services, 'bootstrap admin', 'admin', secret);
  if (!existsSync(options.dataDir)) mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, 'bootstrap-admin-key');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { created: true, file };
}
