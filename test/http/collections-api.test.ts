import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { expectLedgerBalances } from '../support/invariants.js';
import { DIALECTS } from '../support/stores.js';

// The test clock stands on 2026-03-31.
describe.each(DIALECTS)('collections over HTTP (%s)', (dialect) => {
  let api: TestApi;
  let customerId = '';
  let invoiceId = '';
  const post = (url: string, payload: object) => api.call({ method: 'POST', url, payload });

  beforeAll(async () => {
    api = await testApi(dialect);
    customerId = (
      await post('/v1/customers', {
        externalId: 'COL-1',
        name: 'Late Payer GmbH',
        country: 'DE',
        currency: 'CNY',
        segment: 'mid',
      })
    ).json().id;
    invoiceId = (
      await post('/v1/invoices', {
        customerId,
        externalId: 'COL-I1',
        invoiceNumber: 'R-1001',
        issueDate: '2026-01-01',
        dueDate: '2026-02-28',
        amountMinor: 120_000,
        currency: 'CNY',
      })
    ).json().id;
  });
  afterAll(async () => api.dispose());

  it('keeps contacts, refusing a bad e-mail or language by field', async () => {
    const bad = await post(`/v1/customers/${customerId}/contacts`, { name: 'X', email: 'not-an-address' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'invalid_email', field: 'email' });
    const lang = await post(`/v1/customers/${customerId}/contacts`, { name: 'X', language: 'fr' });
    expect(lang.statusCode).toBe(400);
    const ok = await post(`/v1/customers/${customerId}/contacts`, {
      name: 'Anna',
      email: 'anna@payer.example',
      language: 'en',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const list = (await api.call({ method: 'GET', url: `/v1/customers/${customerId}/contacts` })).json();
    expect(list.items).toEqual([expect.objectContaining({ name: 'Anna', email: 'anna@payer.example' })]);
    const missing = await post('/v1/customers/cus_missing/contacts', { name: 'X' });
    expect(missing.statusCode).toBe(404);
  });

  it('resolves a dispute by credit note: the invoice is credited by a reversing entry', async () => {
    const opened = await post(`/v1/invoices/${invoiceId}/disputes`, {
      amountMinor: 20_000,
      reason: 'price',
      note: 'agreed discount not applied',
      owner: 'sales-ops',
      dueOn: '2026-04-15',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({ status: 'open', ageDays: 0, currency: 'CNY' });
    const missing = await post('/v1/invoices/inv_missing/disputes', {
      amountMinor: 1,
      reason: 'price',
      note: 'x',
      owner: 'x',
      dueOn: '2026-04-15',
    });
    expect(missing.statusCode).toBe(404);
    const tooMuch = await post(`/v1/invoices/${invoiceId}/disputes`, {
      amountMinor: 100_001,
      reason: 'quality',
      note: 'x',
      owner: 'x',
      dueOn: '2026-04-15',
    });
    expect(tooMuch.json().error).toMatchObject({ code: 'exceeds_open_amount', field: 'amountMinor' });
    const aging = async () =>
      (await api.call({ method: 'GET', url: '/v1/receivables/aging?asOf=2026-03-31' })).json();
    expect(await aging()).toMatchObject({ totalOpenMinor: 120_000, disputedMinor: 20_000 });
    const open = (await api.call({ method: 'GET', url: '/v1/disputes?status=open' })).json().items;
    expect(open.map((d: { id: string }) => d.id)).toEqual([opened.json().id]);
    expect(open[0].customerName).toBe('Late Payer GmbH');
    const resolved = await post(`/v1/disputes/${opened.json().id}/resolve`, {
      resolution: 'credit_note',
      note: 'discount granted',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      resolution: 'credit_note',
      settledMinor: 20_000,
    });
    const invoice = (await api.call({ method: 'GET', url: `/v1/invoices/${invoiceId}` })).json();
    expect(invoice.openMinor).toBe(100_000);
    expect(await aging()).toMatchObject({ totalOpenMinor: 100_000, disputedMinor: 0 });
    const again = await post(`/v1/disputes/${opened.json().id}/resolve`, { resolution: 'valid', note: 'x' });
    expect(again.statusCode).toBe(409);
    await expectLedgerBalances(api.services.store);
  });

  it('validates a strategy, runs dunning, shows what was written, and works the task', async () => {
    const current = (await api.call({ method: 'GET', url: '/v1/dunning/strategy' })).json();
    expect(current).toMatchObject({ version: 0, strategy: { name: 'Default collections strategy' } });
    const dup = await api.call({
      method: 'PUT',
      url: '/v1/dunning/strategy',
      payload: { ...current.strategy, steps: [current.strategy.steps[0], current.strategy.steps[0]] },
    });
    expect(dup.statusCode).toBe(422);
    expect(dup.json().error).toMatchObject({ code: 'invalid_strategy', field: 'steps[1].id' });
    const saved = await api.call({
      method: 'PUT',
      url: '/v1/dunning/strategy',
      payload: {
        name: 'Call early',
        promiseGraceDays: 2,
        steps: [
          { id: 'mail', daysPastDue: 1, action: 'email' },
          { id: 'call', daysPastDue: 30, action: 'call_task' },
        ],
      },
    });
    expect(saved.json()).toMatchObject({ version: 1 });
    // A run dated ahead would write to customers about debts as they are not yet: refused.
    const ahead = await post('/v1/dunning/runs', { runOn: '2026-04-01' });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().error).toMatchObject({ code: 'invalid_date', field: 'runOn' });
    // 31 March: R-1001 is 31 days past due. No SMTP server configured: the e-mail waits in the outbox.
    const run = await post('/v1/dunning/runs', {});
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toMatchObject({
      runOn: '2026-03-31',
      strategyVersion: 1,
      stepsTaken: 2,
      emailsSent: 0,
      tasksCreated: 1,
    });
    const letters = (
      await api.call({ method: 'GET', url: `/v1/dunning/letters?customerId=${customerId}` })
    ).json().items;
    expect(letters).toEqual([
      expect.objectContaining({
        channel: 'email',
        recipient: 'anna@payer.example',
        messageId: null,
        subject: 'Overdue invoices — Late Payer GmbH',
      }),
    ]);
    expect(letters[0].body).toContain('R-1001  due 2026-02-28  CNY 1,000.00  (31 days overdue)');
    // The same letter, set to print: its words as kept.
    const pdf = await api.call({ method: 'GET', url: `/v1/dunning/letters/${letters[0].id}/pdf` });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const printed = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.rawPayload }).toString();
    expect(printed).toContain('Overdue invoices — Late Payer GmbH');
    // pdftotext gives the body's runs of spaces as one.
    expect(printed).toContain('R-1001 due 2026-02-28 CNY 1,000.00 (31 days overdue)');
    const none = await api.call({ method: 'GET', url: '/v1/dunning/letters/dl_nope/pdf' });
    expect(none.json().error.code).toBe('letter_not_found');
    expect((await post('/v1/dunning/runs', {})).json()).toMatchObject({ stepsTaken: 0 });

    const worklist = (await api.call({ method: 'GET', url: '/v1/collections/worklist' })).json();
    expect(worklist.items).toEqual([
      expect.objectContaining({
        customerId,
        overdueMinor: 100_000,
        oldestDaysPastDue: 31,
        expectedValueMinor: 34_444,
      }),
    ]);
    const taskId = worklist.items[0].tasks[0].id;
    const unknown = await post(`/v1/collection-tasks/${taskId}/done`, { note: 'x', outcome: 'shouted' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toMatch(/outcome/);
    const done = await post(`/v1/collection-tasks/${taskId}/done`, {
      note: 'promised to pay Friday',
      outcome: 'promised_to_pay',
    });
    expect(done.json()).toMatchObject({
      status: 'done',
      doneNote: 'promised to pay Friday',
      outcome: 'promised_to_pay',
    });
    // What came of the call stays with the task, in its audit entry.
    const audit = (await api.call({ method: 'GET', url: `/v1/audit-events?entityId=${taskId}` })).json();
    expect(audit.items[0].after).toMatchObject({
      done_outcome: 'promised_to_pay',
      done_note: 'promised to pay Friday',
    });
    expect((await post(`/v1/collection-tasks/${taskId}/done`, { note: 'again' })).statusCode).toBe(409);
    expect((await api.call({ method: 'GET', url: '/v1/collections/worklist' })).json().items).toEqual([]);
  });

  it('records a promise, refusing one in the past', async () => {
    const past = await post(`/v1/customers/${customerId}/promises`, {
      amountMinor: 100_000,
      currency: 'CNY',
      promisedOn: '2026-03-01',
      promisedBy: 'Anna',
    });
    expect(past.json().error).toMatchObject({ code: 'promise_in_past', field: 'promisedOn' });
    const ok = await post(`/v1/customers/${customerId}/promises`, {
      amountMinor: 100_000,
      currency: 'CNY',
      promisedOn: '2026-04-03',
      promisedBy: 'Anna',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await api.call({ method: 'GET', url: '/v1/promises?status=open' })).json().items).toHaveLength(1);
  });
});
