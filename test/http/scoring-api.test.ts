import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/core/scoring/late-payment.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('behavioural scores in the API (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(dialect);
    await seedDemoBook(api.services, { customers: 40, months: 12 });
  }, 120_000);
  afterAll(async () => api.dispose());

  it('the demo seed trained a champion with a back-test and scored every customer', async () => {
    const models = (await api.call({ method: 'GET', url: '/v1/models' })).json().items;
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ status: 'champion', purpose: 'late_payment' });
    expect(models[0].trainingRows).toBeGreaterThan(200);
    expect(models[0].backTest.calibration.length).toBeGreaterThan(0);
    expect(models[0].backTest.psi).toBeGreaterThanOrEqual(0);
    // The back-tested model's features, each with its stability, and the challenger's comparison
    // are on record with the champion.
    const stability: { feature: string; psi: number }[] = models[0].backTest.featureStability;
    expect(stability.length).toBeGreaterThan(0);
    for (const f of stability) {
      expect(FEATURES).toContain(f.feature);
      expect(f.psi).toBeGreaterThanOrEqual(0);
    }
    const { challenger } = models[0].backTest;
    expect(challenger).toMatchObject({ kind: 'gbdt' });
    expect(challenger.trees).toBeGreaterThan(0);
    expect(challenger.aucDelta).toBeCloseTo(challenger.auc - models[0].backTest.auc, 3);
    expect(challenger.verdict).toBe(challenger.aucDelta >= 0.01 ? 'challenger_ahead' : 'champion_holds');
    // Every card was recalibrated against the later invoices it scores: they add up to the back-test.
    const recalibrated: { rows: number; observedRate: number }[] = models[0].backTest.recalibration;
    expect(recalibrated.reduce((s, r) => s + r.rows, 0)).toBe(models[0].backTest.testRows);
    expect(
      recalibrated.reduce((s, r) => s + r.observedRate * r.rows, 0) / models[0].backTest.testRows,
    ).toBeCloseTo(models[0].backTest.badRate, 3);
    // Segments with weights of their own are listed exactly when the back-test chose them.
    const { segmentation } = models[0].backTest;
    expect(models[0].segments.map((g: { segment: string }) => g.segment).sort()).toEqual(
      segmentation.chosen === 'segmented' ? [...segmentation.ownWeights].sort() : [],
    );
    const customers = (await api.call({ method: 'GET', url: '/v1/customers?limit=100' })).json().items;
    const scores = [];
    for (const c of customers) {
      const response = await api.call({
        method: 'GET',
        url: `/v1/customers/${c.id}/score`,
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(response.statusCode, response.body).toBe(200);
      scores.push(response.json());
    }
    for (const s of scores) {
      expect(s.pd).toBeGreaterThanOrEqual(0);
      expect(s.pd).toBeLessThanOrEqual(1);
      expect(s.grade).toBeGreaterThanOrEqual(1);
      expect(s.grade).toBeLessThanOrEqual(10);
      for (const r of s.reasons) expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    }
    // A higher probability of paying late never comes with a better (lower) grade or a higher score.
    // PDs are reported to four places: customers with the same reported PD may come in any order.
    const byPd = [...scores].sort((a, b) => a.pd - b.pd || b.score - a.score);
    for (let i = 1; i < byPd.length; i++) {
      expect(byPd[i].grade).toBeGreaterThanOrEqual(byPd[i - 1].grade);
      expect(byPd[i].score).toBeLessThanOrEqual(byPd[i - 1].score + 1);
    }
  });

  it("the collectors' worklist weighs overdue amounts by the customer's late-payment probability", async () => {
    const worklist = (await api.call({ method: 'GET', url: '/v1/collections/worklist' })).json();
    expect(worklist.items.length).toBeGreaterThan(0);
    for (const item of worklist.items) {
      const score = (await api.call({ method: 'GET', url: `/v1/customers/${item.customerId}/score` })).json();
      expect(item.latePaymentPd).toBe(score.pd);
      expect(item.expectedValueMinor).toBe(Math.round(item.overdueMinor * score.pd));
    }
  });

  it('a refresh makes a new champion and keeps the old one on record as retired', async () => {
    const refreshed = await api.call({ method: 'POST', url: '/v1/models/late-payment/refresh' });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json().customersScored).toBe(40);
    const models = (await api.call({ method: 'GET', url: '/v1/models' })).json().items;
    expect(models.map((m: { status: string }) => m.status)).toEqual(['champion', 'retired']);
    expect(models[0].id).toBe(refreshed.json().modelId);
  });

  it('a customer added since the last run has no score yet', async () => {
    const c = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: { externalId: 'NEW-1', name: 'New Co', country: 'CN', currency: 'CNY', segment: 'small' },
    });
    const score = await api.call({ method: 'GET', url: `/v1/customers/${c.json().id}/score` });
    expect(score.statusCode).toBe(404);
    expect(score.json().error.code).toBe('score_not_found');
  });

  it('re-scoring a customer on an unchanged book gives the nightly figures again, and is audited', async () => {
    const customer = (await api.call({ method: 'GET', url: '/v1/customers?limit=1' })).json().items[0];
    const stored = (await api.call({ method: 'GET', url: `/v1/customers/${customer.id}/score` })).json();
    const rescored = await api.call({ method: 'POST', url: `/v1/customers/${customer.id}/score` });
    expect(rescored.statusCode, rescored.body).toBe(200);
    const { reasons: storedReasons, ...storedFigures } = stored;
    const { reasons, ...figures } = rescored.json();
    expect(figures).toEqual(storedFigures);
    expect(reasons.map((r: { feature: string }) => r.feature)).toEqual(
      storedReasons.map((r: { feature: string }) => r.feature),
    );
    const audit = (await api.call({ method: 'GET', url: `/v1/audit-events?entityId=${customer.id}` })).json();
    const entry = audit.items.find((e: { action: string }) => e.action === 'customer.rescored');
    expect(entry.after).toMatchObject({
      score: stored.score,
      grade: stored.grade,
      scoredOn: stored.scoredOn,
    });
  });

  it('re-scoring sees what the nightly job has not: a new customer with an invoice paid 90 days late', async () => {
    const c = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { externalId: 'LATE-1', name: 'Late Co', country: 'CN', currency: 'CNY', segment: 'small' },
      })
    ).json();
    const invoice = await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: {
        customerId: c.id,
        externalId: 'LATE-1-I',
        invoiceNumber: 'LATE-1-I',
        issueDate: '2025-11-01',
        dueDate: '2025-12-01',
        amountMinor: 100_000,
        currency: 'CNY',
      },
    });
    expect(invoice.statusCode, invoice.body).toBe(201);
    const payment = await api.call({
      method: 'POST',
      url: '/v1/payments',
      payload: {
        customerId: c.id,
        externalId: 'LATE-1-P',
        paidOn: '2026-03-01',
        amountMinor: 100_000,
        currency: 'CNY',
      },
    });
    expect(payment.statusCode, payment.body).toBe(201);
    expect((await api.call({ method: 'GET', url: `/v1/customers/${c.id}/score` })).statusCode).toBe(404);
    const rescored = await api.call({ method: 'POST', url: `/v1/customers/${c.id}/score` });
    expect(rescored.statusCode, rescored.body).toBe(200);
    expect(rescored.json()).toMatchObject({ customerId: c.id, scoredOn: '2026-03-31' });
    expect(rescored.json().features.meanDaysLate).toBe(90);
    // The stored score is the new one, and the customer's rating follows it.
    expect((await api.call({ method: 'GET', url: `/v1/customers/${c.id}/score` })).json().pd).toBe(
      rescored.json().pd,
    );
    const exposure = (await api.call({ method: 'GET', url: `/v1/customers/${c.id}/exposure` })).json();
    expect(exposure.ratingSource).toBe('model');
  });

  it('re-scoring an unknown customer is a 404; on a book with no model yet, a 409', async () => {
    const unknown = await api.call({ method: 'POST', url: '/v1/customers/cus_nope/score' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('customer_not_found');
    const empty = await testApi(dialect);
    try {
      const c = await empty.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { externalId: 'E-1', name: 'E Co', country: 'CN', currency: 'CNY', segment: 'small' },
      });
      const refused = await empty.call({ method: 'POST', url: `/v1/customers/${c.json().id}/score` });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('model_not_found');
    } finally {
      await empty.dispose();
    }
  });
});
