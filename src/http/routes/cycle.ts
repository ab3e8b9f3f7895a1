import { Type } from 'typebox';
import { economicCycle, recordCycleReadings } from '../../app/cycle/cycle-readings.js';
import type { Services } from '../../app/services.js';
import { REGIMES } from '../../core/cycle/regime.js';
import { actorOf } from '../auth.js';
import { errorResponses } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['economic cycle'];
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM' });
const Regime = Type.Enum([...REGIMES]);
const Scale = Type.Object({ expansion: Type.Number(), neutral: Type.Number(), contraction: Type.Number() });

/** The economic-cycle indicator (H3) and the regime it puts the book in. */
export function cycleRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/economic-cycle',
    {
      schema: {
        tags,
        security,
        summary:
          'Record monthly readings of the cycle indicator (all or none; a month read again is revised)',
        body: Type.Object(
          {
            readings: Type.Array(
              Type.Object(
                {
                  month: Month,
                  value: Type.Number(),
                  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 1200 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ recorded: Type.Integer() }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordCycleReadings(services, actorOf(request), request.body.readings)),
  );

  app.get(
    '/v1/economic-cycle',
    {
      schema: {
        tags,
        security,
        summary: "The indicator series with each month's regime, and where the cycle stands today",
        response: {
          200: Type.Object({
            settings: Type.Object({
              contractionBelow: Type.Number(),
              expansionAbove: Type.Number(),
              pdScale: Scale,
            }),
            current: Type.Union([
              Type.Object({
                month: Month,
                value: Type.Number(),
                source: Type.String(),
                regime: Regime,
                pdScale: Type.Number(),
              }),
              Type.Null(),
            ]),
            items: Type.Array(
              Type.Object({
                month: Month,
                value: Type.Number({ minimum: -1_000_000, maximum: 1_000_000 }),
                source: Type.String(),
                regime: Regime,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    () => economicCycle(services.store.db, services.clock.today()),
  );
}
