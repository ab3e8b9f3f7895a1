import { hash } from '@node-rs/argon2';
import type { Selectable } from 'kysely';
import { validatePassword } from '../../core/access/password-policy.js';
import { isRole, ROLES, type Role } from '../../core/access/roles.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { appendAudit } from '../../store/audit.js';
import type { UserTable } from '../../store/schema.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';
import { forgetPrincipal } from './authenticate.js';

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
    // Disabling someone or changing what they may do ends their sessions: a new login picks up
    // the new rights.
    if (after.disabled_at || after.role !== before.role || after.sales_owner !== before.sales_owner) {
      forgetPrincipal('user', id);
      await trx
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    }
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
