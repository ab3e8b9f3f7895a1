import { hash, verify } from '@node-rs/argon2';
import type { Selectable } from 'kysely';
import { validatePassword } from '../../core/access/password-policy.js';
import { isRole, ROLES, type Role } from '../../core/access/roles.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { appendAudit } from '../../store/audit.js';
import type { UserTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';
import { forgetPrincipal } from './authenticate.js';
import { hashSecret, type Principal, personOf } from './principal.js';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly salesOwner: string | null;
  readonly createdAt: string;
  readonly disabled: boolean;
  readonly lockedUntil: string | null;
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  readonly salesOwner?: string | null;
  readonly password: string;
}

export interface UserChanges {
  readonly displayName?: string;
  readonly role?: string;
  readonly salesOwner?: string | null;
  readonly disabled?: boolean;
  /** An admin's reset; also lifts a lock-out. */
  readonly password?: string;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export function userRecord(row: Selectable<UserTable>): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    salesOwner: row.sales_owner,
    createdAt: row.created_at,
    disabled: row.disabled_at !== null,
    lockedUntil: row.locked_until,
  };
}

function parseRole(role: string): Role {
  if (!isRole(role)) throw new DomainError('invalid_role', `role must be one of ${ROLES.join(', ')}`, 'role');
  return role;
}

/** A sales principal must name the customers it answers for; others may (for reporting). */
export function parseSalesOwner(role: Role, salesOwner: string | null | undefined): string | null {
  const owner = salesOwner?.trim() ? requireText(salesOwner, 'salesOwner', 100) : null;
  if (role === 'sales' && !owner)
    throw new DomainError(
      'required',
      'a sales user needs salesOwner: the customers they answer for',
      'salesOwner',
    );
  return owner;
}

export async function createUser(services: Services, actor: Actor, input: NewUser): Promise<User> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username))
    throw new DomainError(
      'invalid_username',
      'username: 2–63 characters, lower-case letters, digits, ".", "_" or "-"',
      'username',
    );
  const role = parseRole(input.role);
  const row: Selectable<UserTable> = {
    id: services.ids.next('usr'),
    username,
    display_name: requireText(input.displayName, 'displayName', 200),
    role,
    sales_owner: parseSalesOwner(role, input.salesOwner),
    password_hash: await hash(validatePassword(input.password)),
    failed_logins: 0,
    locked_until: null,
    created_at: services.clock.now().toISOString(),
    disabled_at: null,
  };
  const user = userRecord(row);
  await services.store.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (taken) throw new DomainError('duplicate_username', `username ${username} is taken`, 'username');
    await insertOneAudited(trx, 'users', row, () => user, {
      actor,
      now: row.created_at,
      action: 'user.created',
    });
  });
  return user;
}

export async function listUsers(services: Services): Promise<User[]> {
  const rows = await services.store.db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(userRecord);
}

export async function updateUser(
  services: Services,
  actor: Actor,
  id: string,
  changes: UserChanges,
): Promise<User> {
  const passwordHash =
    changes.password === undefined ? undefined : await hash(validatePassword(changes.password));
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new DomainError('user_not_found', `no user ${id}`);
    const role = changes.role === undefined ? (before.role as Role) : parseRole(changes.role);
    const salesOwner = parseSalesOwner(
      role,
      changes.salesOwner === undefined ? before.sales_owner : changes.salesOwner,
    );
    const after: Selectable<UserTable> = {
      ...before,
      display_name:
        changes.displayName === undefined
          ? before.display_name
          : requireText(changes.displayName, 'displayName', 200),
      role,
      sales_owner: salesOwner,
      disabled_at: changes.disabled === undefined ? before.disabled_at : changes.disabled ? now : null,
      ...(passwordHash && { password_hash: passwordHash, failed_logins: 0, locked_until: null }),
    };
    await trx.updateTable('users').set(after).where('id', '=', id).execute();
    // Disabling someone, changing what they may do or resetting their password ends their
    // sessions: a new login picks up the new rights, and whoever knew the old password is out.
    if (
      passwordHash ||
      after.disabled_at ||
      after.role !== before.role ||
      after.sales_owner !== before.sales_owner
    )
      await endSessions(trx, id, now);
    const record = userRecord(after);
    await appendAudit(trx, actor, now, [
      {
        action: passwordHash ? 'user.password_reset' : 'user.updated',
        entityType: 'user',
        entityId: id,
        // User records carry no password hash: the audit log never sees one.
        before: userRecord(before),
        after: record,
      },
    ]);
    return record;
  });
}

/** Revokes every open session of a user but `keep` (the one changing its own password). */
async function endSessions(trx: Executor, userId: string, now: string, keep?: string): Promise<void> {
  forgetPrincipal('user', userId);
  let revoke = trx
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep) revoke = revoke.where('token_hash', '!=', hashSecret(keep));
  await revoke.execute();
}

/**
 * A user changes their own password, proving the current one: every other session of theirs
 * ends (a stolen token stops working); the session making the change stays.
 */
export async function changeOwnPassword(
  services: Services,
  userId: string,
  sessionToken: string | undefined,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const { db } = services.store;
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user) throw new DomainError('user_not_found', `no user ${userId}`);
  if (!(await verify(user.password_hash, currentPassword).catch(() => false)))
    throw new DomainError('wrong_password', 'the current password is wrong', 'currentPassword');
  const passwordHash = await hash(validatePassword(newPassword));
  const now = services.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
      .where('id', '=', userId)
      .execute();
    await endSessions(trx, userId, now, sessionToken);
    await appendAudit(trx, `user:${userId}`, now, [
      {
        action: 'user.password_changed',
        entityType: 'user',
        entityId: userId,
        before: null,
        after: { otherSessionsEnded: true },
      },
    ]);
  });
}

/** The username of the person a principal is; an API key is nobody's. */
export async function usernameOf(
  executor: Executor,
  principal: Principal | null,
  field: string,
): Promise<string> {
  const row = await executor
    .selectFrom('users')
    .select('username')
    .where('id', '=', personOf(principal, "one's own accounts", field))
    .executeTakeFirstOrThrow();
  return row.username;
}

/** A `collector` filter as asked: a username, `me` (the person asking) or `none` (null: nobody's accounts). */
export async function collectorOf(
  executor: Executor,
  principal: Principal | null,
  asked: string,
): Promise<string | null> {
  if (asked === 'none') return null;
  return asked === 'me' ? usernameOf(executor, principal, 'collector') : asked;
}
