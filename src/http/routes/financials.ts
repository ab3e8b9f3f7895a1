import { Type } from 'typebox';
import { customerStatements, recordStatements } from '../../app/financials/statements.js';
import type { Services } from '../../app/services.js';
import { actorOf } from '../auth.js';
import { BusinessDate, Currency, errorResponses, IdParams, Minor, Nullable } from '../schemas.js';
import { type Api, security, single } from './types.js';

const tags = ['financial statements'];
const Figure = Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });
const Figures = {
  currentAssetsMinor: Figure,
  totalAssetsMinor: Figure,
  currentLiabilitiesMinor: Figure,
  totalLiabilitiesMinor: Figure,
  equityMinor: Figure,
  retainedEarningsMinor: Figure,
  revenueMinor: Figure,
  ebitMinor: Figure,
  netIncomeMinor: Figure,
};
const Ratio = Nullable(Type.Number());
const Ratios = {
  currentRatio: Ratio,
  quickRatio: Ratio,
  debtToEquity: Ratio,
  liabilitiesToAssets: Ratio,
  interestCoverage: Ratio,
  netMargin: Ratio,
  returnOnAssets: Ratio,
};
const Statement = Type.Object({
  periodEnd: BusinessDate,
  periodMonths: Type.Integer(),
  currency: Currency,
  ...Figures,
  interestExpenseMinor: Nullable(Figure),
  inventoryMinor: Nullable(Figure),
});

/** Financial statements per customer (A5): entered here or imported, read with ratios, Z″ and trend. */
export function financialRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/customers/:id/financial-statements',
    {
      schema: {
        tags,
        security,
        summary:
          'Record a balance sheet and income statement for a period (minor units); a period already held is restated, audited',
        params: IdParams,
        body: Type.Object(
          {
            periodEnd: BusinessDate,
            periodMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
            currency: Currency,
            ...Figures,
            interestExpenseMinor: Type.Optional(Nullable(Figure)),
            inventoryMinor: Type.Optional(Nullable(Figure)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Statement, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await single(
            recordStatements(services, actorOf(request), [
              { ...request.body, customerId: request.params.id },
            ]),
          ),
        ),
  );
  app.get(
    '/v1/customers/:id/financial-statements',
    {
      schema: {
        tags,
        security,
        summary:
          'A customer’s statements, newest period first: ratios (liquidity, leverage, coverage, profitability), Altman Z″ with its zone, the change since the period before, and the limit they support',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                ...Statement.properties,
                ratios: Type.Object({
                  workingCapitalMinor: Figure,
                  ...Ratios,
                  altmanZ: Nullable(
                    Type.Object({
                      model: Type.Literal('z_double_prime'),
                      value: Type.Number(),
                      zone: Type.Enum(['distress', 'grey', 'safe']),
                    }),
                  ),
                }),
                trend: Type.Object(Ratios, { description: 'each ratio less the period before’s' }),
                supportedLimitMinor: Minor,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => customerStatements(services.store.db, request.params.id),
  );
}
