import { sql } from 'kysely';
import { Type } from 'typebox';
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../../app/auth/api-keys.js';
import { login, logout, SESSION_HOURS } from '../../app/auth/sessions.js';
import { changeOwnPassword, createUser, listUsers, updateUser } from '../../app/auth/users.js';
import type { Services } from '../../app/services.js';
import { PASSWORD_MIN_LENGTH } from '../../core/access/password-policy.js';
import { PERMISSIONS, permissionsOf, ROLES } from '../../core/access/roles.js';
import { DomainError } from '../../core/errors.js';
import { actorOf, bearerOf } from '../auth.js';
import { errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const Role = Type.Enum([...ROLES]);
const Password = Type.String({
  minLength: 1,
  maxLength: 256,
  description: `at least ${PASSWORD_MIN_LENGTH} characters`,
});
const SalesOwner = Nullable(
  Type.String({ maxLength: 100, description: 'the customers.salesOwner this principal answers for (sales)' }),
);

const User = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  salesOwner: Nullable(Type.String()),
  createdAt: Timestamp,
  disabled: Type.Boolean(),
  lockedUntil: Nullable(Timestamp),
});

/** Login and logout, who am I, users and API keys (G1). */
/** A key as made: its secret, shown this once. */
const NewKey = {
  id: Id,
  name: Type.String(),
  role: Type.String(),
  salesOwner: Nullable(Type.String()),
  key: Type.String(),
};

export function accessRoutes(app: Api, services: Services, loginRateLimit: object): void {
  app.post(
    '/v1/sessions',
    {
      config: { rateLimit: loginRateLimit },
      schema: {
        tags: ['access'],
        summary: `Log in with username and password: a bearer token valid ${SESSION_HOURS} h. Repeated failures lock the account for a while`,
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 63 }), password: Password },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: Type.String(), expiresAt: Timestamp, user: User }),
          423: errorResponses[401],
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await login(services, request.body.username, request.body.password)),
  );

  app.put(
    '/v1/me/password',
    {
      schema: {
        tags: ['access'],
        security,
        summary:
          'Change your own password (a user session): proves the current one; every other session of yours ends',
        body: Type.Object(
          { currentPassword: Password, newPassword: Password },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal?.kind !== 'user')
        throw new DomainError('not_a_user', 'only a user who logged in with a password has one to change');
      const { currentPassword, newPassword } = request.body;
      await changeOwnPassword(services, principal.id, bearerOf(request), currentPassword, newPassword);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/v1/sessions/current',
    { schema: { tags: ['access'], security, summary: 'Log out: the presented session token stops working' } },
    async (request, reply) => {
      const token = bearerOf(request);
      if (token && request.principal?.kind === 'user') await logout(services, token);
      return reply.status(204).send();
    },
  );

  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['access'],
        security,
        summary: 'Who the presented secret acts for, with the role and sales scope',
        response: {
          200: Type.Object({
            kind: Type.String(),
            id: Id,
            name: Type.String({ description: "a person's display name, or the API key's name" }),
            username: Nullable(Type.String()),
            role: Type.String(),
            permissions: Type.Array(Type.Enum([...PERMISSIONS]), {
              description: 'what the role may do (the server still checks every request, ownership included)',
            }),
            salesOwner: Nullable(Type.String()),
            today: Type.String({ format: 'date', description: "the server's business date" }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw new DomainError('unauthorized', 'not logged in');
      const { db } = services.store;
      const who =
        principal.kind === 'user'
          ? await db
              .selectFrom('users')
              .select(['display_name as name', 'username'])
              .where('id', '=', principal.id)
              .executeTakeFirst()
          : await db
              .selectFrom('api_keys')
              .select(['name', sql<null>`null`.as('username')])
              .where('id', '=', principal.id)
              .executeTakeFirst();
      return {
        ...principal,
        name: who?.name ?? principal.id,
        username: who?.username ?? null,
        permissions: permissionsOf(principal.role),
        today: services.clock.today(),
      };
    },
  );

  app.get(
    '/v1/users',
    {
      schema: {
        tags: ['access'],
        security,
        summary: 'Users, by username',
        response: { 200: Type.Object({ items: Type.Array(User) }), ...errorResponses },
      },
    },
    async () => ({ items: await listUsers(services) }),
  );

  app.post(
    '/v1/users',
    {
      schema: {
        tags: ['access'],
        security,
        summary: 'Create a user who logs in with a password (admin)',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 63 }),
            displayName: Type.String({ minLength: 1, maxLength: 200 }),
            role: Role,
            salesOwner: Type.Optional(SalesOwner),
            password: Password,
          },
          { additionalProperties: false },
        ),
        response: { 201: User, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createUser(services, actorOf(request), request.body)),
  );

  app.patch(
    '/v1/users/:id',
    {
      schema: {
        tags: ['access'],
        security,
        summary: 'Change a user: role, sales scope, disable, reset the password (also lifts a lock-out)',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            role: Type.Optional(Role),
            salesOwner: Type.Optional(SalesOwner),
            disabled: Type.Optional(Type.Boolean()),
            password: Type.Optional(Password),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => updateUser(services, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/v1/api-keys',
    {
      schema: {
        tags: ['access'],
        security,
        summary: 'Create an API key with a role (admin); the secret is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: Role,
            salesOwner: Type.Optional(SalesOwner),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object(NewKey),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createApiKey(services, actorOf(request), request.body)),
  );

  const ApiKey = Type.Object({
    id: Id,
    name: Type.String(),
    role: Type.String(),
    salesOwner: Nullable(Type.String()),
    createdAt: Timestamp,
    revokedAt: Nullable(Timestamp),
    expiresAt: Nullable(Timestamp),
    lastUsedAt: Nullable(Timestamp),
  });
  app.get(
    '/v1/api-keys',
    {
      schema: {
        tags: ['access'],
        security,
        summary: 'API keys, newest first: role, scope, when last used, revoked or expiring (no secrets)',
        response: { 200: Type.Object({ items: Type.Array(ApiKey) }), ...errorResponses },
      },
    },
    () => listApiKeys(services),
  );
  app.post(
    '/v1/api-keys/:id/revoke',
    {
      schema: {
        tags: ['access'],
        security,
        summary: 'End an API key at once',
        params: IdParams,
        response: { 200: ApiKey, ...errorResponses },
      },
    },
    (request) => revokeApiKey(services, actorOf(request), request.params.id),
  );
  app.post(
    '/v1/api-keys/:id/rotate',
    {
      schema: {
        tags: ['access'],
        security,
        summary:
          'A new secret for the same name, role and scope; the old key keeps working for graceHours (default 24, 0: ends now). The new secret is shown once',
        params: IdParams,
        body: Type.Optional(
          Type.Object(
            { graceHours: Type.Optional(Type.Number({ minimum: 0, maximum: 720 })) },
            { additionalProperties: false },
          ),
        ),
        response: {
          201: Type.Object({ ...NewKey, previousExpiresAt: Timestamp }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await rotateApiKey(services, actorOf(request), request.params.id, request.body ?? {})),
  );
}
