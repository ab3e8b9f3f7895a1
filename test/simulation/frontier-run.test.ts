import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeWarningRules } from '../../src/app/monitoring/warning-rule-sets.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import type { Services } from '../../src/app/services.js';
import { readReplayOrders } from '../../src/app/simulation/book-orders.js';
import { runFrontier } from '../../src/app/simulation/frontier-run.js';
import { type BusinessDate, toEpochDay } from '../../src/core/time/business-date.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const TODAY = '2026-03-31' as BusinessDate;

describe.each(DIALECTS)('the efficient frontier on a book (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store, TODAY);
    await seedDemoBook(services, { customers: 40, months: 12 });
  });
  afterAll(async () => t.dispose());

  it('reports the current policy, the baseline’s and Fulcrum’s best within the budget, and the uplift between them', async () => {
    const result = await runFrontier(services, { candidates: 30 });
    expect(result.candidates).toBe(30);
    expect(result.lossBudgetMinor).toBe(result.current.lossMinor);
    for (const point of [result.baseline, result.best])
      if (point) expect(point.lossMinor).toBeLessThanOrEqual(result.lossBudgetMinor);
    if (result.baseline && result.best && result.baseline.salesMinor > 0)
      expect(result.upliftPct).toBeCloseTo(
        (result.best.salesMinor / result.baseline.salesMinor - 1) * 100,
        2,
      );
    const front = result.frontier.fulcrum;
    for (let i = 1; i < front.length; i++) {
      expect(front[i]?.lossMinor).toBeGreaterThanOrEqual(front[i - 1]?.lossMinor as number);
      expect(front[i]?.salesMinor).toBeGreaterThan(front[i - 1]?.salesMinor as number);
    }
    // The same seed, the same answer; a budget of nothing admits only loss-free policies.
    expect(await runFrontier(services, { candidates: 30 })).toEqual(result);
    const strict = await runFrontier(services, { candidates: 10, lossBudgetMinor: 0 });
    if (strict.best) expect(strict.best.lossMinor).toBe(0);
  });

  it('gives each sale only what was known the day before it: a later payment changes no earlier sale', async () => {
    const rules = (await activeWarningRules(t.store.db)).rules;
    const before = await readReplayOrders(t.store.db, TODAY, rules);
    const open = await t.store.db
      .selectFrom('invoices')
      .select(['id', 'customer_id', 'open_minor', 'currency'])
      .where('open_minor', '>', 0)
      .limit(1)
      .executeTakeFirstOrThrow();
    await recordPayments(services, 'test', [
      {
        externalId: 'LATE-PAY',
        customerId: open.customer_id,
        invoiceId: open.id,
        paidOn: TODAY,
        amountMinor: open.open_minor,
        currency: open.currency,
      },
    ]);
    const after = await readReplayOrders(t.store.db, TODAY, rules);
    const known = (o: (typeof before.orders)[number]) => ({
      day: o.day,
      grade: o.grade,
      warning: o.warning,
      openBefore: o.openBefore,
      amountMinor: o.amountMinor,
    });
    const today = toEpochDay(TODAY);
    expect(after.orders.filter((o) => o.day < today).map(known)).toEqual(
      before.orders.filter((o) => o.day < today).map(known),
    );
  });

  it('names a bad setting', async () => {
    await expect(runFrontier(services, { candidates: 0 })).rejects.toMatchObject({
      code: 'invalid_setting',
      field: 'candidates',
    });
  });
});

describe('fulcrum simulate frontier (CLI) on an imported book', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-frontier-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, FULCRUM_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['bin/fulcrum.js', ...args], { env });
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('prints the contract’s JSON', async () => {
    await cli(
      'import',
      'customers',
      file(
        'c.csv',
        'external_id,name,country,currency,segment\nA,Alpha Ltd,CN,CNY,mid\nB,Beta Ltd,CN,CNY,small\n',
      ),
    );
    const invoices = ['external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency'];
    const payments = ['external_id,customer_external_id,invoice_external_id,paid_on,amount,currency'];
    for (let m = 1; m <= 9; m++) {
      const issued = `2025-0${m}-05`;
      invoices.push(
        `A${m},A,A-${m},${issued},2025-0${m}-28,1000,CNY`,
        `B${m},B,B-${m},${issued},2025-0${m}-28,800,CNY`,
      );
      payments.push(`PA${m},A,A${m},2025-0${m}-27,1000,CNY`);
      if (m < 4) payments.push(`PB${m},B,B${m},2025-0${m}-28,800,CNY`); // B stops paying in April
    }
    await cli('import', 'invoices', file('i.csv', `${invoices.join('\n')}\n`));
    await cli('import', 'payments', file('p.csv', `${payments.join('\n')}\n`));
    const { stdout } = await cli('simulate', 'frontier', '--candidates', '20', '--json');
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      currency: 'CNY',
      candidates: 20,
      lossBudgetMinor: expect.any(Number),
      current: { salesMinor: expect.any(Number), lossMinor: expect.any(Number) },
      baseline: { salesMinor: expect.any(Number), lossMinor: expect.any(Number), params: expect.any(Object) },
      best: { salesMinor: expect.any(Number), lossMinor: expect.any(Number), params: expect.any(Object) },
    });
    expect(result.best.lossMinor).toBeLessThanOrEqual(result.lossBudgetMinor);
    expect(result.unconvertedCurrencies).toEqual([]);
    expect(typeof result.upliftPct === 'number' || result.upliftPct === null).toBe(true);
    const budget = JSON.parse(
      (await cli('simulate', 'frontier', '--candidates', '5', '--loss-budget-minor', '0', '--json')).stdout,
    );
    expect(budget.lossBudgetMinor).toBe(0);
  });
});
