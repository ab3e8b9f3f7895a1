import { Type } from 'typebox';
import { createApiKey, ROLES } from '../../app/auth/api-keys.js';
import type { Services } from '../../app/services.js';
import { DomainError } from '../../core/errors.js';
import { actorOf } from '../auth.js';
import { errorResponses, Id } from '../schemas.js';
import { type Api, security } from './types.js';

export function apiKeyRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/api-keys',
    {
      schema: {
        tags: ['access'],
        security,
        summary: 'Create an API key with a role (admin only); the secret is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: Type.Union(ROLES.map((r) => Type.Literal(r))),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Id, name: Type.String(), role: Type.String(), key: Type.String() }),
          403: errorResponses[401],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      if (request.principal?.role !== 'admin')
        throw new DomainError('forbidden', 'only an admin may create API keys');
      return reply
        .status(201)
        .send(await createApiKey(services, actorOf(request), request.body.name, request.body.role));
    },
  );
}
