import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('receivables analytics: aging and DSO from the ledger (%s)', (dialect) => {
  let api: TestApi;
  const post = async (url: string, payload: object) => {
    const r = await api.call({ method: 'POST', url, payload });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  const aging = async (query: string) =>
    (await api.call({ method: 'GET', url: `/v1/receivables/aging?${query}` })).json();

  beforeAll(async () => {
    api = await testApi(dialect);
    const cny = await post('/v1/customers', {
      externalId: 'AR-CNY',
      name: '苏州瑞丰机械制造有限公司',
      country: 'CN',
      currency: 'CNY',
      segment: 'mid',
    });
    const usd = await post('/v1/customers', {
      externalId: 'AR-USD',
      name: 'Summit Components Inc.',
      country: 'US',
      currency: 'USD',
      segment: 'small',
    });
    const invoice = (
      customerId: string,
      externalId: string,
      issueDate: string,
      dueDate: string,
      amountMinor: number,
      currency = 'CNY',
    ) =>
      post('/v1/invoices', {
        customerId,
        externalId,
        invoiceNumber: externalId,
        issueDate,
        dueDate,
        amountMinor,
        currency,
      });
    const i1 = await invoice(cny.id, 'I1', '2026-01-05', '2026-02-04', 100_000);
    await invoice(cny.id, 'I2', '2026-02-01', '2026-03-03', 200_000);
    await invoice(cny.id, 'I3', '2026-03-20', '2026-04-19', 50_000);
    const i4 = await invoice(cny.id, 'I4', '2025-10-01', '2025-10-31', 30_000);
    await invoice(usd.id, 'U1', '2026-03-01', '2026-03-31', 10_000, 'USD');
    await post('/v1/payments', {
      customerId: cny.id,
      externalId: 'P4',
      paidOn: '2026-01-15',
      amountMinor: 30_000,
      currency: 'CNY',
      invoiceId: i4.id,
    });
    await post('/v1/payments', {
      customerId: cny.id,
      externalId: 'P1',
      paidOn: '2026-02-10',
      amountMinor: 40_000,
      currency: 'CNY',
      invoiceId: i1.id,
    });
    await post('/v1/credit-notes', {
      invoiceId: i1.id,
      externalId: 'CN1',
      issuedOn: '2026-03-05',
      amountMinor: 10_000,
      reason: 'quality claim',
    });
    await post('/v1/fx-rates', { base: 'USD', quote: 'CNY', asOf: '2026-01-01', rate: 7.2 });
  });
  afterAll(async () => api.dispose());

  it('shows the book as it stood on a past date, not as it stands today', async () => {
    // 10 January: I4 (due 31 Oct, 71 days past due) still open; I1 not yet due.
    expect(await aging('asOf=2026-01-10&currency=CNY')).toMatchObject({
      currency: 'CNY',
      buckets: {
        currentMinor: 100_000,
        d1to30Minor: 0,
        d31to60Minor: 0,
        d61to90Minor: 30_000,
        over90Minor: 0,
      },
      totalOpenMinor: 130_000,
    });
    // 31 January: I4 was paid on the 15th.
    expect((await aging('asOf=2026-01-31&currency=CNY')).buckets).toMatchObject({
      currentMinor: 100_000,
      d61to90Minor: 0,
    });
    // 10 March: I1 = 1,000 − 400 paid − 100 credited, 34 days late; I2 7 days late; I3 not issued yet.
    expect(await aging('asOf=2026-03-10&currency=CNY')).toMatchObject({
      buckets: {
        currentMinor: 0,
        d1to30Minor: 200_000,
        d31to60Minor: 50_000,
        d61to90Minor: 0,
        over90Minor: 0,
      },
      totalOpenMinor: 250_000,
    });
  });

  it('takes one currency, or converts the whole book to CNY at the day’s rate', async () => {
    expect((await aging('asOf=2026-03-31&currency=USD')).totalOpenMinor).toBe(10_000);
    expect(await aging('asOf=2026-03-31')).toMatchObject({
      currency: 'CNY',
      buckets: { currentMinor: 50_000 + 72_000, d1to30Minor: 200_000, d31to60Minor: 50_000 },
      totalOpenMinor: 372_000,
      missingRates: [],
    });
  });

  it('breaks the book down per customer, largest first, adding up to the whole', async () => {
    const view = await aging('asOf=2026-03-31&by=customer');
    expect(view.by).toBe('customer');
    expect(view.breakdown.map((r: { totalOpenMinor: number }) => r.totalOpenMinor)).toEqual([
      300_000, 72_000,
    ]);
    expect(view.breakdown.reduce((s: number, r: { totalOpenMinor: number }) => s + r.totalOpenMinor, 0)).toBe(
      view.totalOpenMinor,
    );
    const owners = await aging('asOf=2026-03-31&by=salesOwner');
    expect(owners.breakdown).toEqual([expect.objectContaining({ key: null, totalOpenMinor: 372_000 })]);
  });

  it('computes simple and countback DSO per month by hand-checked figures', async () => {
    const simple = (
      await api.call({ method: 'GET', url: '/v1/receivables/dso?from=2026-03&to=2026-03&method=simple' })
    ).json();
    // 3,720 of receivables ÷ 1,220 of March sales × 31 days.
    expect(simple.months).toEqual([
      {
        month: '2026-03',
        dso: 94.52,
        receivablesMinor: 372_000,
        creditSalesMinor: 122_000,
        currentMinor: 122_000,
        // Only I3 and U1 are not yet due: 1,220 ÷ 1,220 × 31 days.
        bestPossibleDso: 31,
        averageDaysDelinquent: 63.52,
        // Opened at 2,600 (I1 600 after payment, I2 2,000): (2,600 + 1,220 − 3,720) ÷ (2,600 + 1,220 − 1,220).
        cei: 3.85,
        writtenOffMinor: 0,
        badDebtRatio: 0,
      },
    ]);
    const countback = (
      await api.call({ method: 'GET', url: '/v1/receivables/dso?from=2026-01&to=2026-03&method=countback' })
    ).json();
    // March: 3,720 − 1,220 (31 d) − 2,000 Feb (28 d) = 500 left of January's 1,000 → 31 × 0.5 = 15.5 → 74.5.
    expect(countback.months.at(-1)).toMatchObject({ month: '2026-03', dso: 74.5 });
    expect(countback.months).toHaveLength(3);
    const usd = (
      await api.call({
        method: 'GET',
        url: '/v1/receivables/dso?from=2026-03&to=2026-03&method=simple&currency=USD',
      })
    ).json();
    // One USD invoice of 100.00 issued in March and open at its end: 100 ÷ 100 × 31 days.
    expect(usd).toMatchObject({
      currency: 'USD',
      months: [{ month: '2026-03', dso: 31, receivablesMinor: 10_000, creditSalesMinor: 10_000 }],
    });
    // A write-off in April: April has no sales, so a ratio cannot be given; May neither writes off.
    const u1 = (await api.call({ method: 'GET', url: '/v1/invoices?limit=10' }))
      .json()
      .items.find((i: { externalId: string }) => i.externalId === 'U1');
    // Requested by finance, approved by someone else (the admin key).
    const finance = (
      await api.call({ method: 'POST', url: '/v1/api-keys', payload: { name: 'finance', role: 'finance' } })
    ).json().key;
    const requested = await api.app.inject({
      method: 'POST',
      url: '/v1/write-off-requests',
      headers: { authorization: `Bearer ${finance}` },
      payload: {
        invoiceId: u1.id,
        externalId: 'WO-U1',
        issuedOn: '2026-04-02',
        amountMinor: 4_000,
        reason: 'insolvent',
      },
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const approved = await api.call({
      method: 'POST',
      url: `/v1/write-off-requests/${requested.json().id}/approve`,
      payload: { note: 'insolvency confirmed' },
    });
    expect(approved.json()).toMatchObject({ status: 'approved', creditNoteId: expect.any(String) });
    const april = (
      await api.call({ method: 'GET', url: '/v1/receivables/dso?from=2026-03&to=2026-05&currency=USD' })
    ).json();
    expect(
      april.months.map((m: { writtenOffMinor: number; badDebtRatio: number | null }) => [
        m.writtenOffMinor,
        m.badDebtRatio,
      ]),
    ).toEqual([
      [0, 0],
      [4_000, null],
      [0, null],
    ]);
  });

  it("shows a customer's payment behaviour from the ledger", async () => {
    const customers = (await api.call({ method: 'GET', url: '/v1/customers?limit=10' })).json().items;
    const cny = customers.find((c: { externalId: string }) => c.externalId === 'AR-CNY');
    const view = (await api.call({ method: 'GET', url: `/v1/customers/${cny.id}/behaviour` })).json();
    // As of 2026-03-31: I4 paid 76 days late (due 31 Oct, paid 15 Jan); I1, I2, I3 open, I1 and I2 overdue.
    expect(view.features).toMatchObject({
      invoices: 4,
      lateShare: 1,
      meanDaysLate: 76,
      overdueShare: 0.8333,
    });
    expect((await api.call({ method: 'GET', url: '/v1/customers/cus_none/behaviour' })).statusCode).toBe(404);
  });

  it('rejects bad dates and months naming the field', async () => {
    const badDate = await api.call({ method: 'GET', url: '/v1/receivables/aging?asOf=2026-02-30' });
    expect(badDate.statusCode).toBe(400);
    const badMonth = await api.call({ method: 'GET', url: '/v1/receivables/dso?from=2026-13&to=2026-03' });
    expect(badMonth.statusCode).toBe(400);
    expect(badMonth.json().error.field).toBe('from');
    const backwards = await api.call({ method: 'GET', url: '/v1/receivables/dso?from=2026-03&to=2026-01' });
    expect(backwards.json().error).toMatchObject({ code: 'invalid_range', field: 'from' });
    // A date stands for its month, like every other date parameter; an impossible one is named.
    const byDate = await api.call({
      method: 'GET',
      url: '/v1/receivables/dso?from=2026-01-01&to=2026-03-31',
    });
    const byMonth = await api.call({ method: 'GET', url: '/v1/receivables/dso?from=2026-01&to=2026-03' });
    expect(byDate.statusCode).toBe(200);
    expect(byDate.json()).toEqual(byMonth.json());
    const badDay = await api.call({ method: 'GET', url: '/v1/receivables/dso?from=2026-02-30&to=2026-03' });
    expect(badDay.json().error).toMatchObject({ code: 'invalid_date', field: 'from' });
  });
});

describe.each(DIALECTS)('reports that cannot convert say so (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(dialect);
    const customer = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: {
        externalId: 'ONLY-USD',
        name: 'Dollar Book Inc.',
        country: 'US',
        currency: 'USD',
        segment: 'mid',
      },
    });
    const invoice = await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: {
        customerId: customer.json().id,
        externalId: 'USD-1',
        invoiceNumber: 'USD-1',
        issueDate: '2026-01-10',
        dueDate: '2026-02-09',
        amountMinor: 123_400,
        currency: 'USD',
      },
    });
    expect(invoice.statusCode, invoice.body).toBe(201);
  });
  afterAll(async () => api.dispose());
  const get = (url: string) => api.call({ method: 'GET', url });

  it('a book in one currency reads in that currency, with no rate needed', async () => {
    const aging = (await get('/v1/receivables/aging?asOf=2026-03-31')).json();
    expect(aging).toMatchObject({
      currency: 'USD',
      totalOpenMinor: 123_400,
      buckets: { d31to60Minor: 123_400 },
    });
    const dso = (await get('/v1/receivables/dso?from=2026-01&to=2026-01&method=simple')).json();
    expect(dso).toMatchObject({
      currency: 'USD',
      months: [{ receivablesMinor: 123_400, creditSalesMinor: 123_400 }],
    });
  });

  it('a book in two currencies without a rate is refused naming the currency, never summed as 0', async () => {
    const second = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: { externalId: 'ONLY-CNY', name: '人民币客户', country: 'CN', currency: 'CNY', segment: 'mid' },
    });
    expect(second.statusCode, second.body).toBe(201);
    for (const url of [
      '/v1/receivables/aging?asOf=2026-03-31',
      '/v1/receivables/dso?from=2026-01&to=2026-01&method=simple',
      '/v1/portfolio/overview',
    ]) {
      const refused = await get(url);
      expect(refused.statusCode, `${url} ${refused.body}`).toBe(422);
      expect(refused.json().error).toMatchObject({ code: 'missing_fx_rates', field: 'currency' });
      expect(refused.json().error.message).toMatch(/USD/);
    }
    // Asked in the invoices' own currency, it needs no rate.
    expect((await get('/v1/receivables/aging?asOf=2026-03-31&currency=USD')).json().totalOpenMinor).toBe(
      123_400,
    );
  });
});
