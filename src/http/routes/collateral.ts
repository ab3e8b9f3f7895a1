import { Type } from 'typebox';
import { customerCollateral, recordCollateral, releaseCollateral } from '../../app/collateral/collateral.js';
import type { Services } from '../../app/services.js';
import { COLLATERAL_KINDS } from '../../core/collateral/collateral.js';
import { actorOf } from '../auth.js';
import { BusinessDate, Currency, errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['collateral'];
const Collateral = Type.Object({
  id: Id,
  customerId: Id,
  kind: Type.Enum([...COLLATERAL_KINDS]),
  issuer: Type.String(),
  reference: Type.String(),
  amountMinor: Type.Integer(),
  currency: Type.String(),
  validFrom: BusinessDate,
  expiresOn: BusinessDate,
  releasedOn: Nullable(BusinessDate),
  recordedBy: Type.String(),
  recordedAt: Timestamp,
});

/** Letters of credit and guarantees held against a customer's debt (F2). */
export function collateralRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/customers/:id/collateral',
    {
      schema: {
        tags,
        security,
        summary: "Record a letter of credit or guarantee; its valid amount goes onto the customer's profile",
        params: IdParams,
        body: Type.Object(
          {
            kind: Type.Enum([...COLLATERAL_KINDS]),
            issuer: Type.String({ minLength: 1, maxLength: 200 }),
            reference: Type.String({ minLength: 1, maxLength: 100 }),
            amountMinor: Type.Integer({ minimum: 1 }),
            currency: Currency,
            validFrom: BusinessDate,
            expiresOn: BusinessDate,
          },
          { additionalProperties: false },
        ),
        response: { 201: Collateral, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await recordCollateral(services, actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/v1/customers/:id/collateral',
    {
      schema: {
        tags,
        security,
        summary: "A customer's letters of credit and guarantees, latest expiry first",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Collateral) }), ...errorResponses },
      },
    },
    (request) => customerCollateral(services.store.db, request.params.id),
  );

  app.post(
    '/v1/collateral/:id/release',
    {
      schema: {
        tags,
        security,
        summary: 'Give a security back: valid no more from today',
        params: IdParams,
        response: { 200: Collateral, ...errorResponses },
      },
    },
    (request) => releaseCollateral(services, actorOf(request), request.params.id),
  );
}
