import { Type } from 'typebox';
import { bookAppetite } from '../../app/portfolio/appetite.js';
import { portfolioOverview } from '../../app/portfolio/overview.js';
import { portfolioReport } from '../../app/reports/portfolio-report.js';
import type { Services } from '../../app/services.js';
import { localeOf } from '../../core/policy/explain.js';
import { PdfBody, sendPdf } from '../pdf-reply.js';
import { BusinessDate, errorResponses, Id, Nullable } from '../schemas.js';
import { type Api, security } from './types.js';

const Share = Type.Object({ customers: Type.Integer(), exposureMinor: Type.Integer() });

const Overview = Type.Object({
  asOf: BusinessDate,
  currency: Type.String(),
  customers: Type.Integer(),
  limitMinor: Type.Integer(),
  exposureMinor: Type.Integer(),
  availableMinor: Type.Integer(),
  overdueMinor: Type.Integer(),
  utilisation: Nullable(Type.Number()),
  overLimit: Type.Integer(),
  blocked: Type.Integer(),
  utilisationBands: Type.Array(Type.Intersect([Type.Object({ band: Type.String() }), Share])),
  riskClasses: Type.Array(
    Type.Intersect([Type.Object({ riskClass: Type.String(), limitMinor: Type.Integer() }), Share]),
  ),
  topExposures: Type.Array(
    Type.Object({
      customerId: Id,
      name: Type.String(),
      riskClass: Type.String(),
      limitMinor: Type.Integer(),
      exposureMinor: Type.Integer(),
      overdueMinor: Type.Integer(),
      blocked: Type.Boolean(),
      utilisation: Nullable(Type.Number()),
    }),
  ),
  alerts: Type.Object({
    heldOrders: Type.Integer(),
    pendingLimitRequests: Type.Integer(),
    openDisputes: Type.Integer(),
    brokenPromises: Type.Integer(),
  }),
  kpis: Type.Object({
    days: Type.Integer(),
    ordersDecided: Type.Integer(),
    approvalRate: Nullable(Type.Number()),
    salesEnabledMinor: Type.Integer(),
    manualDecisions: Type.Integer(),
    medianTurnaroundHours: Nullable(Type.Number()),
    lossRate12m: Nullable(Type.Number()),
  }),
  missingRates: Type.Array(Type.String()),
});

export function portfolioRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/portfolio/overview',
    {
      schema: {
        tags: ['receivables'],
        security,
        summary:
          'The book at a glance in CNY: limits vs exposure, utilisation spread, risk classes, top 20 exposures, alerts and the team KPIs of the last 30 days',
        response: { 200: Overview, ...errorResponses },
      },
    },
    () => portfolioOverview(services),
  );

  app.get(
    '/v1/portfolio/report',
    {
      schema: {
        tags: ['receivables'],
        security,
        summary:
          "The month's portfolio report as a PDF (the book, risk classes, aging, largest exposures, the team's figures, what waits), in the Accept-Language",
        response: {
          200: PdfBody,
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      sendPdf(reply, await portfolioReport(services, localeOf(request.headers['accept-language']))),
  );

  app.get(
    '/v1/portfolio/appetite',
    {
      schema: {
        tags: ['portfolio'],
        security,
        summary:
          'The live book against the risk appetite of the policy in force: expected loss rate, worst classes, single-name and group concentration, uninsured share, DSO',
        response: {
          200: Type.Object({
            asOf: BusinessDate,
            currency: Type.String(),
            policyVersion: Type.Integer(),
            measures: Type.Array(
              Type.Object({
                measure: Type.String(),
                value: Nullable(Type.Number()),
                limit: Type.Number(),
                breached: Type.Boolean(),
                driver: Nullable(Type.String()),
              }),
            ),
            breaches: Type.Array(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    () => bookAppetite(services),
  );
}
