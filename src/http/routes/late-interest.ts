import { Type } from 'typebox';
import { customerLateInterest } from '../../app/receivables/late-interest.js';
import type { Services } from '../../app/services.js';
import { parseBusinessDate } from '../../core/time/business-date.js';
import { BusinessDate, errorResponses, Id, IdParams } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['receivables'];

/** Late-payment interest per contract terms (E7). */
export function lateInterestRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/customers/:id/late-interest',
    {
      schema: {
        tags,
        security,
        summary:
          "Late-payment interest under the customer's contract terms as of a date (simple, actual/365, on each day's overdue balance after grace), per invoice",
        params: IdParams,
        querystring: Type.Object({ asOf: Type.Optional(BusinessDate) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            customerId: Id,
            asOf: BusinessDate,
            currency: Type.String(),
            terms: Type.Object({
              ratePercent: Type.Number(),
              graceDays: Type.Integer(),
              agreed: Type.Boolean(),
            }),
            totalsMinor: Type.Array(Type.Object({ currency: Type.String(), interestMinor: Type.Integer() })),
            invoices: Type.Array(
              Type.Object({
                invoiceId: Id,
                invoiceNumber: Type.String(),
                dueDate: BusinessDate,
                currency: Type.String(),
                interestMinor: Type.Integer(),
                daysLate: Type.Integer(),
                startsOn: BusinessDate,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) =>
      customerLateInterest(
        services.store.db,
        request.params.id,
        parseBusinessDate(request.query.asOf ?? services.clock.today(), 'asOf'),
      ),
  );
}
