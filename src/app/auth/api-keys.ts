import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendAudit } from '../../store/audit.js';
import type { Executor } from '../../store/write.js';
import type { Services } from '../services.js';

export const ROLES = [
  'admin',
  'credit_manager',
  'credit_analyst',
  'sales',
  'finance',
  'legal',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyPrincipal {
  readonly keyId: string;
  readonly role: Role;
}

/** Only a hash is stored: a database leak does not leak usable keys. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function newApiKeySecret(): string {
  return `fk_${randomBytes(32).toString('base64url')}`;
}

/** How long a verified key is trusted without reading the store again. */
const KEY_CACHE_MS = 5_000;
const KEY_CACHE_SIZE = 1_000;
const verified = new Map<string, { principal: ApiKeyPrincipal; until: number }>();

/**
 * The principal of a presented key. Every request carries one, so a verified key is remembered for
 * a few seconds (by its hash, never the secret): a key revoked in the store stops working within
 * KEY_CACHE_MS. Unknown keys are never remembered, so guessing cannot fill the cache.
 */
export async function authenticate(db: Executor, presented: string): Promise<ApiKeyPrincipal | null> {
  const keyHash = hashApiKey(presented);
  const now = Date.now();
  const known = verified.get(keyHash);
  if (known && known.until > now) return known.principal;
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'role'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  verified.delete(keyHash);
  if (!row) return null;
  const principal = { keyId: row.id, role: row.role as Role };
  if (verified.size >= KEY_CACHE_SIZE) verified.clear();
  verified.set(keyHash, { principal, until: now + KEY_CACHE_MS });
  return principal;
}

async function insertKey(
  services: Services,
  name: string,
  role: Role,
  secret: string,
  actor = 'system',
): Promise<string> {
  const now = services.clock.now().toISOString();
  const id = services.ids.next('key');
  await services.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_keys')
      .values({ id, name, role, key_hash: hashApiKey(secret), created_at: now, revoked_at: null })
      .execute();
    // The audit event names the key, never the secret.
    await appendAudit(trx, actor, now, [
      {
        action: 'api_key.created',
        entityType: 'api_key',
        entityId: id,
        before: null,
        after: { id, name, role },
      },
    ]);
  });
  return id;
}

/** A new key for a system or a person; only its hash is kept, so the secret is returned once. */
export async function createApiKey(services: Services, actor: string, name: string, role: Role) {
  const key = newApiKeySecret();
  const id = await insertKey(services, name, role, key, actor);
  return { id, name, role, key };
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
    if (await authenticate(db, options.configuredKey)) return { created: false };
    try {
      await insertKey(services, 'bootstrap admin (FULCRUM_BOOTSTRAP_KEY)', 'admin', options.configuredKey);
    } catch (error) {
      // Another instance starting at the same moment registered it first: that is the goal.
      if (await authenticate(db, options.configuredKey)) return { created: false };
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
