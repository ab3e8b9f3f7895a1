import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtestAlerts } from '../../src/app/monitoring/alerts-backtest.js';
import type { Services } from '../../src/app/services.js';
import { importCsv } from '../../src/cli/csv-import.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-backtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// D never pays (60 days past due on 2026-04-05, in default 90 days past due on 2026-05-05);
// R pays 75 days late (warned, no default); H pays on time; U's invoice is in USD, with no FX rate.
const BOOK = {
  customers: file(
    'customers.csv',
    `external_id,name,country,currency,segment
D,Defaulting Co,CN,CNY,small
R,Recovering Co,CN,CNY,small
H,Healthy Co,CN,CNY,mid
U,Overseas Inc,US,USD,mid
`,
  ),
  invoices: file(
    'invoices.csv',
    `external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency
I1,D,D-1,2026-01-05,2026-02-04,1000,CNY
I2,R,R-1,2026-01-05,2026-02-04,1000,CNY
I3,H,H-1,2026-01-05,2026-02-04,1000,CNY
I4,U,U-1,2026-01-05,2026-02-04,700,USD
`,
  ),
  payments: file(
    'payments.csv',
    `external_id,customer_external_id,invoice_external_id,paid_on,amount,currency
P2,R,I2,2026-04-20,1000,CNY
P3,H,I3,2026-02-03,1000,CNY
P4,U,I4,2026-02-04,700,USD
`,
  ),
};

const EXPECTED = {
  from: '2026-01-01',
  to: '2026-09-30',
  customers: 4,
  defaulters: 1,
  defaultersWarned: 1,
  leadDays: { p25: 30, median: 30, p75: 30 },
  warnedCustomers: 2,
  warnedNotDefaulted: 1,
};

describe.each(DIALECTS)('the lead-time back-test on an imported book (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store, '2026-10-01');
    for (const kind of ['customers', 'invoices', 'payments'] as const)
      expect(
        await importCsv(services, kind, BOOK[kind], { actor: 'cli:test', progress: false }),
      ).toMatchObject({ ok: true });
  });
  afterAll(async () => t.dispose());

  it('counts the defaulter warned 30 days ahead and the late payer warned who did not default', async () => {
    const result = await backtestAlerts(services, { from: '2026-01-01', to: '2026-09-30' });
    expect(result).toMatchObject({ ...EXPECTED, unconvertedCurrencies: ['USD'] });
  });

  it('a window that ends before the default sees no default, and nothing after it', async () => {
    const result = await backtestAlerts(services, { from: '2026-01-01', to: '2026-05-04' });
    expect(result).toMatchObject({
      defaulters: 0,
      defaultersWarned: 0,
      warnedCustomers: 2,
      warnedNotDefaulted: 2,
    });
  });

  it('refuses a window that ends before it starts, naming the field', async () => {
    await expect(backtestAlerts(services, { from: '2026-02-01', to: '2026-01-01' })).rejects.toMatchObject({
      code: 'invalid_range',
      field: 'from',
    });
  });
});

describe('fulcrum alerts backtest (CLI)', () => {
  const env = { ...process.env, FULCRUM_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
  const cli = (...args: string[]) => run(process.execPath, ['bin/fulcrum.js', ...args], { env });

  it('prints the contract’s JSON on a book imported through the CLI', async () => {
    await cli('import', 'customers', BOOK.customers);
    await cli('import', 'invoices', BOOK.invoices);
    await cli('import', 'payments', BOOK.payments);
    const { stdout } = await cli(
      'alerts',
      'backtest',
      '--from',
      '2026-01-01',
      '--to',
      '2026-09-30',
      '--json',
    );
    expect(JSON.parse(stdout)).toMatchObject(EXPECTED);
  });

  it('imports a provider’s signal file once, and the back-test counts what it warned of', async () => {
    const signals = file(
      'signals.csv',
      `source,source_ref,customer_external_id,signal_type,occurred_on,amount,currency,summary
courts,Z-1,D,enforcement,2026-02-10,1000,CNY,被列为被执行人
courts,Z-2,R,lawsuit_defendant,2026-02-10,,,买卖合同纠纷
`,
    );
    expect((await cli('import', 'signals', signals)).stdout).toMatch(/imported 2/);
    await cli('import', 'signals', signals); // the same facts again: kept once
    const { stdout } = await cli(
      'alerts',
      'backtest',
      '--from',
      '2026-01-01',
      '--to',
      '2026-09-30',
      '--json',
    );
    const result = JSON.parse(stdout);
    // The enforcement (high) warned of D's default on 2026-05-05 from 2026-02-10: 84 days ahead.
    expect(result).toMatchObject({ defaulters: 1, defaultersWarned: 1, leadDays: { median: 84 } });
    expect(result.rules.find((r: { ruleId: string }) => r.ruleId === 'outside_warning')).toMatchObject({
      alerts: 1,
      defaultersWarned: 1,
    });
  });

  it('exits 1 with the reason on a bad date, 2 on a bad option', async () => {
    await expect(
      cli('alerts', 'backtest', '--from', '2026-02-30', '--to', '2026-09-30'),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('from must be a real calendar date'),
    });
    await expect(
      cli('alerts', 'backtest', '--from', '2026-01-01', '--to', '2026-09-30', '--warn-from', 'loud'),
    ).rejects.toMatchObject({ code: 2 });
  });
});
