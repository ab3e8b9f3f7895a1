import { Type } from 'typebox';
import { listWatchlist, unwatchCustomer, watchCustomer } from '../../app/monitoring/watchlist.js';
import type { Services } from '../../app/services.js';
import { actorOf } from '../auth.js';
import { Currency, errorResponses, Id, IdParams, Minor, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['early warning'];
const Watched = {
  customerId: Id,
  reason: Type.String(),
  addedBy: Type.String(),
  addedAt: Timestamp,
};

/** The watchlist (D2): customers kept in view, with why, beside their worst live alert. */
export function watchlistRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/watchlist',
    {
      schema: {
        tags,
        security,
        summary: 'The customers on the watchlist, the gravest live alert first, with their open receivables',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                ...Watched,
                customerName: Type.String(),
                currency: Currency,
                openMinor: Minor,
                worstAlert: Nullable(Type.Enum(['low', 'medium', 'high', 'critical'])),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    () => listWatchlist(services),
  );
  app.put(
    '/v1/watchlist/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Put a customer on the watchlist, saying why (on it already: the reason is replaced)',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object(Watched), ...errorResponses },
      },
    },
    (request) => watchCustomer(services, actorOf(request), request.params.id, request.body.reason),
  );
  app.delete(
    '/v1/watchlist/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Take a customer off the watchlist',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await unwatchCustomer(services, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
