import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Selectable } from 'kysely';
import type { Role } from '../../core/access/roles.js';
import { DomainError } from '../../core/errors.js';
import { appendAudit } from '../../store/audit.js';
import type { StoreLocation } from '../../store/db.js';
import type { ApiKeyTable } from '../../store/schema.js';
import type { Services } from '../services.js';
import { authenticate, forgetPrincipal } from './authenticate.js';
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
        last_used_at: null,
        expires_at: null,
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
 * Where a store's first admin key is written: `bootstrap-admin-key` for the SQLite book, a name of
 * its own for each PostgreSQL database (by database and a digest of the URL, without its
 * password), so a PostgreSQL instance never overwrites the SQLite book's key or another's.
 */
export function bootstrapKeyFileName(location: StoreLocation): string {
  if (location.dialect === 'sqlite') return 'bootstrap-admin-key';
  const url = new URL(location.url);
  url.password = '';
  const digest = createHash('sha256')
    .update(`${url.toString()}|${location.searchPath ?? ''}`)
    .digest('hex')
    .slice(0, 8);
  const database = url.pathname.replace(/^\//, '').replace(/[^A-Za-z0-9_-]/g, '_') || 'postgres';
  return `bootstrap-admin-key.pg-${database}-${digest}`;
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
  const file = join(options.dataDir, bootstrapKeyFileName(services.store.location));
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { created: true, file };
}

function keyView(row: Selectable<ApiKeyTable>) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    salesOwner: row.sales_owner,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

/** Every key, newest first, without secrets (only hashes are kept): who has access, and who uses it. */
export async function listApiKeys(services: Services) {
  const rows = await services.store.db
    .selectFrom('api_keys')
    .selectAll()
    .orderBy('created_at', 'desc')
    .execute();
  return { items: rows.map(keyView) };
}

async function liveKey(services: Services, id: string) {
  const row = await services.store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DomainError('api_key_not_found', `API key ${id} does not exist`);
  if (row.revoked_at) throw new DomainError('api_key_revoked', `API key ${id} is revoked already`);
  return row;
}

/** Ends a key at once, in this process and (within seconds) in every other. */
export async function revokeApiKey(services: Services, actor: string, id: string) {
  const before = await liveKey(services, id);
  const now = services.clock.now().toISOString();
  const after = { ...before, revoked_at: now };
  await services.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
    await appendAudit(trx, actor, now, [
      {
        action: 'api_key.revoked',
        entityType: 'api_key',
        entityId: id,
        before: keyView(before),
        after: keyView(after),
      },
    ]);
  });
  forgetPrincipal('api_key', id);
  return keyView(after);
}

/**
 * A new secret for the same name, role and scope; the old key keeps working for `graceHours`
 * (default 24, 0: it ends now) so the systems using it can switch over. The new secret is shown once.
 */
export async function rotateApiKey(
  services: Services,
  actor: string,
  id: string,
  input: { graceHours?: number } = {},
) {
  const graceHours = input.graceHours ?? 24;
  if (!(Number.isFinite(graceHours) && graceHours >= 0 && graceHours <= 720))
    throw new DomainError('invalid_setting', 'graceHours must be from 0 to 720', 'graceHours');
  const old = await liveKey(services, id);
  const now = services.clock.now();
  const expiresAt = new Date(now.getTime() + graceHours * 3_600_000).toISOString();
  const key = newApiKeySecret();
  const newId = await insertKey(services, old.name, old.role as Role, key, actor, old.sales_owner);
  await services.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('api_keys').set({ expires_at: expiresAt }).where('id', '=', id).execute();
    await appendAudit(trx, actor, now.toISOString(), [
      {
        action: 'api_key.rotated',
        entityType: 'api_key',
        entityId: id,
        before: keyView(old),
        after: { ...keyView({ ...old, expires_at: expiresAt }), replacedBy: newId },
      },
    ]);
  });
  forgetPrincipal('api_key', id);
  return {
    id: newId,
    name: old.name,
    role: old.role,
    salesOwner: old.sales_owner,
    key,
    previousExpiresAt: expiresAt,
  };
}
