import type { Role } from '../../core/access/roles.js';
import { withoutWaiting } from '../../store/db.js';
import type { Executor } from '../../store/write.js';
import { hashSecret, type Principal } from './principal.js';

/** Session tokens carry this prefix; anything else presented as a bearer is an API key. */
export const SESSION_PREFIX = 'fs_';

/** How long a verified secret is trusted without reading the store again. */
const CACHE_MS = 5_000;
const CACHE_SIZE = 1_000;
type Cache = Map<string, { principal: Principal; until: number }>;
/** One cache per store: a process holding two stores (tests, tools) never mixes their principals. */
const caches = new WeakMap<object, Cache>();
const allCaches = new Set<Cache>();

function cacheOf(db: Executor): Cache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
    allCaches.add(cache);
  }
  return cache;
}

/**
 * The principal of a presented bearer secret. Every request carries one, so a verified secret is
 * remembered for a few seconds (by its hash, never the secret): a key revoked, a session ended or
 * a user disabled in the store stops working within CACHE_MS. Unknown secrets are never
 * remembered, so guessing cannot fill the cache.
 */
export async function authenticate(db: Executor, presented: string, now: Date): Promise<Principal | null> {
  return recentlyVerified(db, presented, now) ?? verify(db, presented, now);
}

/**
 * The principal of a secret verified less than CACHE_MS ago, without touching the store: what
 * nearly every request needs, answered synchronously.
 */
export function recentlyVerified(db: Executor, presented: string, now: Date): Principal | null {
  const known = cacheOf(db).get(hashSecret(presented));
  return known && known.until > now.getTime() ? known.principal : null;
}

/** Looks the secret up in the store and remembers it when valid. */
export async function verify(db: Executor, presented: string, now: Date): Promise<Principal | null> {
  const hash = hashSecret(presented);
  const verified = cacheOf(db);
  verified.delete(hash);
  const found = presented.startsWith(SESSION_PREFIX)
    ? await sessionPrincipal(db, hash, now)
    : await apiKeyPrincipal(db, hash, now);
  if (!found) return null;
  if (verified.size >= CACHE_SIZE) verified.clear();
  verified.set(hash, { principal: found.principal, until: Math.min(now.getTime() + CACHE_MS, found.until) });
  return found.principal;
}

/** Ends the trust in a secret at once (logout), in this process. */
export function forget(presented: string): void {
  for (const verified of allCaches) verified.delete(hashSecret(presented));
}

/** Ends the trust in every secret of a principal at once (disabled, new role), in this process. */
export function forgetPrincipal(kind: Principal['kind'], id: string): void {
  for (const verified of allCaches)
    for (const [hash, entry] of verified)
      if (entry.principal.kind === kind && entry.principal.id === id) verified.delete(hash);
}

async function apiKeyPrincipal(db: Executor, keyHash: string, now: Date) {
  const at = now.toISOString();
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'role', 'sales_owner', 'expires_at'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
    .executeTakeFirst();
  if (!row) return null;
  // Last used: written when the store is read, i.e. at most once per CACHE_MS per key — and skipped
  // rather than waited for while another connection holds SQLite's write lock (an import).
  void withoutWaiting(() =>
    db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', row.id).execute(),
  ).catch(() => undefined);
  const principal: Principal = {
    kind: 'api_key',
    id: row.id,
    role: row.role as Role,
    salesOwner: row.sales_owner,
  };
  return { principal, until: row.expires_at ? Date.parse(row.expires_at) : Number.POSITIVE_INFINITY };
}

async function sessionPrincipal(db: Executor, tokenHash: string, now: Date) {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.role', 'users.sales_owner', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const until = Date.parse(row.expires_at);
  if (until <= now.getTime()) return null;
  const principal: Principal = {
    kind: 'user',
    id: row.id,
    role: row.role as Role,
    salesOwner: row.sales_owner,
  };
  return { principal, until };
}
