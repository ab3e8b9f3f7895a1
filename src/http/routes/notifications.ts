import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notificationSettings, setNotificationSettings } from '../../app/notifications/digests.js';
import { markNotificationsSeen, notificationsFor } from '../../app/notifications/notifications.js';
import type { Services } from '../../app/services.js';
import { DomainError } from '../../core/errors.js';
import { errorResponses, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const Notifications = Type.Object({
  unread: Type.Integer({ description: 'items that came or changed since the caller last looked' }),
  seenAt: Nullable(Timestamp),
  items: Type.Array(
    Type.Object({
      kind: Type.Enum(['approvals', 'held_orders', 'alerts', 'my_orders_decided', 'broken_promises']),
      count: Type.Integer(),
      unread: Type.Integer(),
      link: Type.String({ description: "the dashboard's page where they are" }),
    }),
  ),
});

const Settings = Type.Object({
  email: Nullable(Type.String({ maxLength: 254 })),
  language: Type.Enum(['en', 'zh-CN']),
  dailyDigest: Type.Boolean({
    description: 'an e-mail each weekday morning with what waits (needs an address)',
  }),
  immediate: Type.Boolean({
    description: 'an e-mail as things arrive, saying what is new (needs an address)',
  }),
});

function principalOf(request: FastifyRequest) {
  if (!request.principal) throw new DomainError('unauthorized', 'not logged in');
  return request.principal;
}

/** Being told (I4): what waits for the caller, and marking it seen. */
export function notificationRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/notifications',
    {
      schema: {
        tags: ['access'],
        security,
        summary:
          'What waits for the caller: limit requests to decide (not their own), held orders, open alerts their role owns, their held orders decided lately, their customers’ broken promises',
        response: { 200: Notifications, ...errorResponses },
      },
    },
    (request) => notificationsFor(services, principalOf(request)),
  );
  app.post(
    '/v1/notifications/seen',
    {
      schema: {
        tags: ['access'],
        security,
        summary: 'Mark everything up to now as seen',
        response: { 200: Notifications, ...errorResponses },
      },
    },
    (request) => markNotificationsSeen(services, principalOf(request)),
  );
  app.get(
    '/v1/me/notification-settings',
    {
      schema: {
        tags: ['access'],
        security,
        summary:
          "The caller's notification e-mail: address, language, daily digest, e-mail as things arrive (people, not API keys)",
        response: { 200: Settings, ...errorResponses },
      },
    },
    (request) => notificationSettings(services, principalOf(request)),
  );
  app.put(
    '/v1/me/notification-settings',
    {
      schema: {
        tags: ['access'],
        security,
        summary: "Set the caller's notification e-mail (audited); a daily digest needs an address",
        body: Type.Object(
          {
            email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
            language: Type.Optional(Type.Enum(['en', 'zh-CN'])),
            dailyDigest: Type.Optional(Type.Boolean()),
            immediate: Type.Optional(
              Type.Boolean({
                description: 'an e-mail as things arrive (within about a minute); needs an address',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Settings, ...errorResponses },
      },
    },
    (request) => setNotificationSettings(services, principalOf(request), request.body),
  );
}
