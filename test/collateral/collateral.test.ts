import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCollateral, releaseCollateral } from '../../src/app/collateral/collateral.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { runMonitoring } from '../../src/app/monitoring/monitoring-run.js';
import { computeProvision } from '../../src/app/provisions/provision-run.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { issueCreditNote } from '../../src/app/receivables/issue-credit-note.js';
import type { Services } from '../../src/app/services.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const TODAY = '2026-11-30';

describe.each(DIALECTS)('letters of credit and guarantees (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let customerId: string;
  const guarantee = () =>
    t.store.db
      .selectFrom('credit_profiles')
      .select('guarantee_minor')
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow()
      .then((r) => (r.guarantee_minor === null ? null : Number(r.guarantee_minor)));

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store, TODAY);
    const [created] = await createCustomers(services, 'test', [
      { externalId: 'COL-1', name: 'Secured Co', country: 'CN', currency: 'CNY', segment: 'mid' },
    ]);
    customerId = created?.id as string;
    // Loss history (a write-off), and 400,000 open and overdue today.
    const [old, open] = await createInvoices(services, 'test', [
      {
        customerId,
        externalId: 'COL-I0',
        invoiceNumber: 'COL-I0',
        issueDate: '2025-01-10',
        dueDate: '2025-02-10',
        amountMinor: 100_000,
        currency: 'CNY',
      },
      {
        customerId,
        externalId: 'COL-I1',
        invoiceNumber: 'COL-I1',
        issueDate: '2026-06-01',
        dueDate: '2026-07-01',
        amountMinor: 400_000,
        currency: 'CNY',
      },
    ]);
    expect(open).toBeDefined();
    await issueCreditNote(services, 'test', {
      invoiceId: old?.id as string,
      externalId: 'COL-W0',
      issuedOn: '2025-09-01',
      amountMinor: 100_000,
      reason: 'insolvent',
      kind: 'write_off',
    });
  }, 60_000);
  afterAll(async () => t.dispose());

  it('records a security, puts its valid amount on the profile, and gives it back', async () => {
    const input = {
      kind: 'bank_guarantee',
      issuer: 'Bank of China, Shanghai branch',
      reference: 'BG-2026-118',
      amountMinor: 300_000,
      currency: 'CNY',
      validFrom: '2026-06-01',
      expiresOn: '2026-12-20',
    };
    await expect(
      recordCollateral(services, 'analyst', customerId, { ...input, kind: 'promise' }),
    ).rejects.toMatchObject({ field: 'kind' });
    await expect(
      recordCollateral(services, 'analyst', customerId, { ...input, expiresOn: '2026-01-01' }),
    ).rejects.toMatchObject({ field: 'expiresOn' });
    const lc = await recordCollateral(services, 'analyst', customerId, {
      ...input,
      kind: 'letter_of_credit',
      reference: 'LC-1',
      amountMinor: 50_000,
      expiresOn: '2027-03-31',
    });
    const bg = await recordCollateral(services, 'analyst', customerId, input);
    expect(await guarantee()).toBe(350_000);
    await releaseCollateral(services, 'analyst', lc.id);
    expect(await guarantee()).toBe(300_000);
    await expect(releaseCollateral(services, 'analyst', lc.id)).rejects.toMatchObject({
      code: 'collateral_released',
    });
    expect(bg.expiresOn).toBe('2026-12-20');
  });

  it('raises an alert within 30 days of expiry, and the reserve counts the valid security in full', async () => {
    await runMonitoring(services, 'job');
    const alert = await t.store.db
      .selectFrom('alerts')
      .selectAll()
      .where('rule_id', '=', 'collateral_expiring')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(alert.facts_json)).toEqual({ securities: 1, daysLeft: 20 });

    const now = await computeProvision(services, TODAY);
    const customer = now.topCustomers.find((c) => c.customerId === customerId);
    const gross = (customer?.reserveMinor ?? 0) + (customer?.coverReliefMinor ?? 0);
    expect(gross).toBeGreaterThan(0);
    // 300,000 of 400,000 open is secured: three quarters of the expected loss is covered.
    expect(Math.abs((customer?.coverReliefMinor ?? 0) - gross * 0.75)).toBeLessThanOrEqual(1);
    // After it expires, the same day's view of a later date no longer counts it.
    const later = await computeProvision(
      { ...services, clock: testServices(t.store, '2026-12-31').clock },
      '2026-12-31',
    );
    expect(later.topCustomers.find((c) => c.customerId === customerId)?.coverReliefMinor).toBe(0);
  });
});
