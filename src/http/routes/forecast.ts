import { Type } from 'typebox';
import { customerPaymentForecast } from '../../app/forecast/payment-forecast.js';
import type { Services } from '../../app/services.js';
import { runOffLoop } from '../../jobs/off-loop.js';
import { BusinessDate, errorResponses, Id, IdParams, Nullable } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['payment forecast'];
const Errors = Type.Object({
  meanAbsoluteErrorDays: Nullable(Type.Number()),
  within7DaysShare: Nullable(Type.Number()),
});

/** When open invoices will be paid (D4): per customer, the book's cash-in by week, and the forecast's back-test. */
export function forecastRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/customers/:id/payment-forecast',
    {
      schema: {
        tags,
        security,
        summary:
          'Each open invoice with the day it is expected to be paid and an interval (20th–80th percentile)',
        params: IdParams,
        response: {
          200: Type.Object({
            asOf: BusinessDate,
            items: Type.Array(
              Type.Object({
                invoiceId: Id,
                invoiceNumber: Type.String(),
                dueDate: BusinessDate,
                openMinor: Type.Integer(),
                currency: Type.String(),
                expectedOn: BusinessDate,
                earliestOn: BusinessDate,
                latestOn: BusinessDate,
                basis: Type.Enum(['customer', 'book', 'beyond_history']),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => customerPaymentForecast(services, request.params.id),
  );

  app.get(
    '/v1/receivables/cash-forecast',
    {
      schema: {
        tags,
        security,
        summary:
          'Expected cash-in by week from the payment forecasts of every open invoice (report currency; off the event loop)',
        querystring: Type.Object(
          { weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 104 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            asOf: BusinessDate,
            currency: Type.String(),
            weeks: Type.Array(
              Type.Object({ from: BusinessDate, to: BusinessDate, expectedMinor: Type.Integer() }),
            ),
            openMinor: Type.Integer(),
            laterMinor: Type.Integer(),
            unconvertedCurrencies: Type.Array(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => runOffLoop(services, 'cashForecast', request.query),
  );

  app.get(
    '/v1/receivables/payment-forecast/backtest',
    {
      schema: {
        tags,
        security,
        summary:
          'The forecast’s error in days against the naive one (due date + the customer’s mean days late), over invoices paid between two dates',
        querystring: Type.Object({ from: BusinessDate, to: BusinessDate }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            from: BusinessDate,
            to: BusinessDate,
            invoices: Type.Integer(),
            model: Errors,
            naive: Errors,
          }),
          ...errorResponses,
        },
      },
    },
    (request) => runOffLoop(services, 'forecastBacktest', request.query),
  );
}
