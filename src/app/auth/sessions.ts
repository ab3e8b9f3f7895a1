import { randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { afterFailedLogin } from '../../core/access/password-policy.js';
import { DomainError } from '../../core/errors.js';
import { appendAudit } from '../../store/audit.js';
import type { Services } from '../services.js';
import { forget, SESSION_PREFIX } from './authenticate.js';
import { hashSecret } from './principal.js';
import { type User, userRecord } from './users.js';

/** A working day and then some: people log in once a day. */
export const SESSION_HOURS = 12;

// Verifying against this when the user does not exist keeps the reply time the same, so timing
// does not tell which usernames exist.
const DECOY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$osZyqe7yaPvpnFj9mqdSiStD1KUfpjzXR84cVoLTd4k';

export interface LoginResult {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: User;
}

const badCredentials = () => new DomainError('invalid_credentials', 'wrong username or password');

/**
 * Password login. Every failure looks alike (no telling a wrong name from a wrong password);
 * MAX_FAILED_LOGINS failures in a row lock the account for a while, even for the right password.
 */
export async function login(services: Services, username: string, password: string): Promise<LoginResult> {
  const now = services.clock.now();
  const { db } = services.store;
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst();
  const matches = await verify(user?.password_hash ?? DECOY_HASH, password).catch(() => false);
  if (!user || user.disabled_at) throw badCredentials();
  if (user.locked_until && Date.parse(user.locked_until) > now.getTime())
    throw new DomainError('account_locked', `too many failed logins: try again after ${user.locked_until}`);
  const at = now.toISOString();
  if (!matches) {
    const next = afterFailedLogin(user.failed_logins, now);
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ failed_logins: next.failed, locked_until: next.lockedUntil?.toISOString() ?? null })
        .where('id', '=', user.id)
        .execute();
      if (next.lockedUntil)
        await appendAudit(trx, `user:${user.id}`, at, [
          {
            action: 'user.locked_out',
            entityType: 'user',
            entityId: user.id,
            before: null,
            after: { failedLogins: next.failed, lockedUntil: next.lockedUntil.toISOString() },
          },
        ]);
    });
    throw badCredentials();
  }
  const token = `${SESSION_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  const sessionId = services.ids.next('ses');
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    await trx
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: user.id,
        token_hash: hashSecret(token),
        created_at: at,
        expires_at: expiresAt,
        revoked_at: null,
      })
      .execute();
    await appendAudit(trx, `user:${user.id}`, at, [
      {
        action: 'session.started',
        entityType: 'session',
        entityId: sessionId,
        before: null,
        after: { expiresAt },
      },
    ]);
  });
  return { token, expiresAt, user: userRecord({ ...user, failed_logins: 0, locked_until: null }) };
}

/** Ends the session of a presented token; other sessions of the user stay. */
export async function logout(services: Services, token: string): Promise<void> {
  forget(token);
  await services.store.db
    .updateTable('sessions')
    .set({ revoked_at: services.clock.now().toISOString() })
    .where('token_hash', '=', hashSecret(token))
    .where('revoked_at', 'is', null)
    .execute();
}
