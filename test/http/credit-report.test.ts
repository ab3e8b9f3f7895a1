import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { grantLimits } from '../support/limits.js';
import { DIALECTS } from '../support/stores.js';

/** The PDF's text, as poppler's pdftotext reads it (layout kept, so a table row stays on one line). */
const textOf = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();

// Today is 2026-03-31 in tests.
describe.each(DIALECTS)("a customer's credit report as a PDF (%s)", (dialect) => {
  let api: TestApi;
  let customerId: string;
  beforeAll(async () => {
    api = await testApi(dialect);
    customerId = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'REP-1',
          name: '宁波恒通五金制品有限公司',
          country: 'CN',
          currency: 'CNY',
          segment: 'mid',
          registrationId: '91350100M000100Y43',
        },
      })
    ).json().id;
    await grantLimits(api.services.store.db, [customerId], 50_000_000);
    for (const [n, due, amount] of [
      ['REP-I1', '2026-04-30', 1_000_000],
      ['REP-I2', '2026-03-10', 250_050],
      ['REP-I3', '2025-12-01', 70_000],
    ] as const) {
      const made = await api.call({
        method: 'POST',
        url: '/v1/invoices',
        payload: {
          customerId,
          externalId: n,
          invoiceNumber: n,
          issueDate: '2025-11-01',
          dueDate: due,
          amountMinor: amount,
          currency: 'CNY',
        },
      });
      expect(made.statusCode, made.body).toBe(201);
    }
    const review = await api.call({
      method: 'POST',
      url: `/v1/customers/${customerId}/credit-reviews`,
      payload: { findings: 'pays within terms', limitDecision: 'keep' },
    });
    expect(review.statusCode, review.body).toBe(201);
  });
  afterAll(async () => api.dispose());

  it('holds who the customer is, its position, its open invoices by age and its reviews, in English', async () => {
    const report = await api.call({ method: 'GET', url: `/v1/customers/${customerId}/credit-report` });
    expect(report.statusCode, report.body).toBe(200);
    expect(report.headers['content-type']).toBe('application/pdf');
    expect(report.headers['content-disposition']).toBe(
      'attachment; filename="credit-report-REP-1-2026-03-31.pdf"',
    );
    const text = textOf(report.rawPayload);
    expect(text).toContain('Customer credit report: 宁波恒通五金制品有限公司');
    expect(text).toContain('91350100M000100Y43');
    expect(text).toMatch(/Limit in force\s+CNY 500,000\.00/);
    expect(text).toMatch(/Exposure\s+CNY 13,200\.50/);
    expect(text).toMatch(/Overdue\s+CNY 3,200\.50/);
    expect(text).toMatch(/Screened at first contact\s+proceed/);
    // Current 10,000.00; 1–30 days 2,500.50; over 90 days 700.00; total 13,200.50.
    expect(text).toMatch(/CNY\s+10,000\.00\s+2,500\.50\s+0\.00\s+0\.00\s+700\.00\s+13,200\.50/);
    expect(text).toContain('pays within terms (keep)');
  });

  it('speaks Chinese on request, and names what does not exist', async () => {
    const report = await api.call({
      method: 'GET',
      url: `/v1/customers/${customerId}/credit-report`,
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    const text = textOf(report.rawPayload);
    expect(text).toContain('客户信用报告');
    expect(text).toContain('未结发票账龄');
    const missing = await api.call({ method: 'GET', url: '/v1/customers/cus_nope/credit-report' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('customer_not_found');
  });

  it('sends the statement of account: every open invoice with its days overdue, totals, the payments of 90 days', async () => {
    const paid = await api.call({
      method: 'POST',
      url: '/v1/payments',
      payload: {
        customerId,
        externalId: 'REP-P1',
        paidOn: '2026-03-20',
        amountMinor: 30_000,
        currency: 'CNY',
      },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const statement = await api.call({
      method: 'GET',
      url: `/v1/customers/${customerId}/statement-of-account`,
    });
    expect(statement.statusCode, statement.body).toBe(200);
    expect(statement.headers['content-disposition']).toBe(
      'attachment; filename="statement-REP-1-2026-03-31.pdf"',
    );
    const text = textOf(statement.rawPayload);
    expect(text).toContain('Statement of account: 宁波恒通五金制品有限公司');
    // Paid oldest first: REP-I3 (700.00) is now 400.00 open, 120 days overdue.
    expect(text).toMatch(/REP-I3\s+2025-11-01\s+2025-12-01\s+CNY 700\.00\s+CNY 400\.00\s+120/);
    expect(text).toMatch(/REP-I2\s+2025-11-01\s+2026-03-10\s+CNY 2,500\.50\s+CNY 2,500\.50\s+21/);
    expect(text).toContain('Total open CNY 12,900.50 (of which overdue CNY 2,900.50)');
    expect(text).toMatch(/2026-03-20\s+REP-P1\s+CNY 300\.00/);
    const zh = textOf(
      (
        await api.call({
          method: 'GET',
          url: `/v1/customers/${customerId}/statement-of-account`,
          headers: { 'accept-language': 'zh-CN' },
        })
      ).rawPayload,
    );
    expect(zh).toContain('对账单');
    expect(zh).toContain('未付合计 CNY 12,900.50');
  });

  it("sets the month's portfolio report: the book, its age, the largest exposures, what waits", async () => {
    const report = await api.call({ method: 'GET', url: '/v1/portfolio/report' });
    expect(report.statusCode, report.body).toBe(200);
    expect(report.headers['content-disposition']).toBe(
      'attachment; filename="portfolio-report-2026-03-31.pdf"',
    );
    const text = textOf(report.rawPayload);
    expect(text).toContain('Credit portfolio report');
    expect(text).toMatch(/Customers\s+1\n/);
    expect(text).toMatch(/Limits in force\s+CNY 500,000\.00/);
    expect(text).toMatch(/Exposure\s+CNY 12,900\.50/);
    expect(text).toMatch(/CNY\s+10,000\.00\s+2,500\.50\s+0\.00\s+0\.00\s+400\.00\s+12,900\.50/);
    expect(text).toMatch(/宁波恒通五金制品有限公司\s+C\s+CNY 500,000\.00\s+CNY 12,900\.50\s+2\.6 %/);
    const zh = textOf(
      (
        await api.call({
          method: 'GET',
          url: '/v1/portfolio/report',
          headers: { 'accept-language': 'zh-CN' },
        })
      ).rawPayload,
    );
    expect(zh).toContain('信用组合报告');
    expect(zh).toContain('应收账款账龄');
  });
});
