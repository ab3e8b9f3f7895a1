import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

// The test clock stands on 2026-03-31 at noon; both invoices are 31 days past due.
describe.each(DIALECTS)(
  'dunning held from the worklist: paused to a date or handed to an agency (%s)',
  (dialect) => {
    let api: TestApi;
    const ids: Record<'paused' | 'agency', string> = { paused: '', agency: '' };
    const post = (url: string, payload: object) => api.call({ method: 'POST', url, payload });
    const get = async (url: string) => (await api.call({ method: 'GET', url })).json();

    beforeAll(async () => {
      api = await testApi(dialect);
      for (const key of ['paused', 'agency'] as const) {
        const customer = await post('/v1/customers', {
          externalId: `DH-${key}`,
          name: `Held ${key}`,
          country: 'CN',
          currency: 'CNY',
          segment: 'mid',
        });
        ids[key] = customer.json().id;
        await post('/v1/invoices', {
          customerId: ids[key],
          externalId: `DH-I-${key}`,
          invoiceNumber: `DH-${key}`,
          issueDate: '2026-01-29',
          dueDate: '2026-02-28',
          amountMinor: 500_000,
          currency: 'CNY',
        });
      }
    });
    afterAll(async () => api.dispose());

    it('refuses a hold that cannot work, naming the field', async () => {
      const hold = (payload: object, customerId = ids.paused) =>
        post(`/v1/customers/${customerId}/dunning-holds`, payload);
      expect((await hold({ kind: 'pause', reason: 'talks' })).json().error).toMatchObject({
        code: 'required',
        field: 'until',
      });
      expect(
        (await hold({ kind: 'pause', until: '2026-03-31', reason: 'talks' })).json().error,
      ).toMatchObject({
        code: 'invalid_date',
        field: 'until',
      });
      expect(
        (await hold({ kind: 'pause', until: '2026-07-30', reason: 'talks' })).json().error,
      ).toMatchObject({
        code: 'invalid_date',
        field: 'until',
      });
      expect((await hold({ kind: 'agency', reason: 'no answer' })).json().error).toMatchObject({
        code: 'required',
        field: 'agency',
      });
      const unknown = await hold({ kind: 'agency', agency: 'X', reason: 'y' }, 'cus_nobody');
      expect(unknown.statusCode).toBe(404);
    });

    it('takes no step for a held customer, says so in the run, and picks it up once the hold is lifted', async () => {
      const paused = await post(`/v1/customers/${ids.paused}/dunning-holds`, {
        kind: 'pause',
        until: '2026-04-15',
        reason: 'in talks: a payment is on its way',
      });
      expect(paused.statusCode, paused.body).toBe(201);
      expect(paused.json()).toMatchObject({
        kind: 'pause',
        until: '2026-04-15',
        active: true,
        liftedAt: null,
      });
      const twice = await post(`/v1/customers/${ids.paused}/dunning-holds`, {
        kind: 'agency',
        agency: 'Any',
        reason: 'x',
      });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().error.code).toBe('already_held');

      const run = await post('/v1/dunning/runs', {});
      expect(run.statusCode, run.body).toBe(200);
      expect(run.json().pausedByHold).toBe(1);
      expect(run.json().stepsTaken).toBeGreaterThan(0);
      const letters = async (customerId: string) =>
        (await get(`/v1/dunning/letters?customerId=${customerId}`)).items.length;
      expect(await letters(ids.paused)).toBe(0);
      expect(await letters(ids.agency)).toBeGreaterThan(0);

      // The other account goes to an agency: the worklist says so on its row.
      const handed = await post(`/v1/customers/${ids.agency}/dunning-holds`, {
        kind: 'agency',
        agency: 'Huaxia Collections',
        reason: '30 days and no answer',
      });
      expect(handed.statusCode, handed.body).toBe(201);
      const row = (await get('/v1/collections/worklist')).items.find(
        (i: { customerId: string }) => i.customerId === ids.agency,
      );
      expect(row.hold).toMatchObject({ kind: 'agency', agency: 'Huaxia Collections', until: null });

      // Lifted a little later: the next run the same day takes the paused account's steps.
      const clock = api.services.clock as { now: () => Date };
      const standing = clock.now;
      clock.now = () => new Date('2026-03-31T15:00:00.000Z');
      try {
        const lifted = await post(`/v1/dunning-holds/${paused.json().id}/lift`, {});
        expect(lifted.json()).toMatchObject({ active: false, liftedAt: '2026-03-31T15:00:00.000Z' });
        expect((await post(`/v1/dunning-holds/${paused.json().id}/lift`, {})).json().error.code).toBe(
          'hold_not_active',
        );
        expect(
          (await get('/v1/dunning-holds?active=true')).items.map((h: { customerId: string }) => h.customerId),
        ).toEqual([ids.agency]);
        clock.now = () => new Date('2026-03-31T16:00:00.000Z');
        // Incremental: it looks at the account whose hold ended (the agency's has crossed no step since).
        const again = await post('/v1/dunning/runs', {});
        expect(again.json().stepsTaken).toBeGreaterThan(0);
        expect(await letters(ids.paused)).toBeGreaterThan(0);
      } finally {
        clock.now = standing;
      }
      const audited = await api.services.store.db
        .selectFrom('audit_events')
        .select('action')
        .where('entity_type', '=', 'dunning_hold')
        .orderBy('seq')
        .execute();
      expect(audited.map((a) => a.action)).toEqual([
        'dunning_hold.paused',
        'dunning_hold.handed_to_agency',
        'dunning_hold.lifted',
      ]);
    });
  },
);
