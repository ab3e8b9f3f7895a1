import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { economicCycle, recordCycleReadings } from '../../src/app/cycle/cycle-readings.js';
import { computeProvision, recordProvisionRun } from '../../src/app/provisions/provision-run.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { issueCreditNote } from '../../src/app/receivables/issue-credit-note.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import type { Services } from '../../src/app/services.js';
import { addDays, addMonths, type BusinessDate, monthEnd } from '../../src/core/time/business-date.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const TODAY = '2026-11-30';

describe.each(DIALECTS)('the month-end provision run (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let customers: string[];
  let serial = 0;
  const invoice = async (customerId: string, issueDate: BusinessDate, amountMinor: number) => {
    const [created] = await createInvoices(services, 'test', [
      {
        customerId,
        externalId: `PV-${++serial}`,
        invoiceNumber: `PV-${serial}`,
        issueDate,
        dueDate: addDays(issueDate, 30),
        amountMinor,
        currency: 'CNY',
      },
    ]);
    return created?.id as string;
  };

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store, TODAY);
    customers = (
      await createCustomers(
        services,
        'test',
        Array.from({ length: 4 }, (_, i) => ({
          externalId: `PVC-${i}`,
          name: `Provision ${i}`,
          country: 'CN',
          currency: 'CNY',
          segment: 'mid' as const,
        })),
      )
    ).map((c) => c.id);
    // 30 months of invoices: most paid 20 days after issue, one customer's partly written off late.
    for (let k = 30; k >= 1; k--) {
      const issued = addDays(monthEnd(addMonths(TODAY as BusinessDate, -k)), -10);
      for (const [i, customerId] of customers.entries()) {
        const id = await invoice(customerId, issued, 100_000 * (i + 1));
        const paidOn = addDays(issued, 20 + 40 * i);
        if (i === 3 && k % 3 === 0) {
          const writeOffOn = addDays(issued, 200);
          if (writeOffOn <= TODAY)
            await issueCreditNote(services, 'test', {
              invoiceId: id,
              externalId: `PVW-${serial}`,
              issuedOn: writeOffOn,
              amountMinor: 250_000,
              reason: 'insolvent',
              kind: 'write_off',
            });
        } else if (paidOn <= TODAY)
          await recordPayments(services, 'test', [
            {
              customerId,
              externalId: `PVP-${serial}`,
              paidOn,
              amountMinor: 100_000 * (i + 1),
              currency: 'CNY',
              invoiceId: id,
            },
          ]);
      }
    }
  }, 120_000);
  afterAll(async () => t.dispose());

  it('reserves Σ open × rate per bucket, with rates learnt from month-ends whose horizon has passed', async () => {
    const result = await computeProvision(services, TODAY);
    expect(result.currency).toBe('CNY');
    expect(result.horizonMonthsUsed).toBe(12);
    expect(result.monthEnds.every((m) => monthEnd(addMonths(m, 12)) <= TODAY)).toBe(true);
    for (const b of result.buckets) expect(b.reserveMinor).toBe(Math.round(b.openMinor * b.lossRate));
    expect(result.reserveMinor).toBe(result.buckets.reduce((s, b) => s + b.reserveMinor, 0));
    expect(result.reserveMinor).toBeGreaterThan(0);
    // Late buckets lose more than current ones in this book.
    const rate = (bucket: string) => result.matrix.find((m) => m.bucket === bucket)?.historicalRate ?? 0;
    expect(rate('over90')).toBeGreaterThan(rate('current'));
  });

  it('as of a past month-end gives the same figures whatever was recorded about later days', async () => {
    const asOf = '2026-05-31';
    const before = await computeProvision(services, asOf);
    const lateId = await invoice(customers[0] as string, '2026-06-15' as BusinessDate, 5_000_000);
    await issueCreditNote(services, 'test', {
      invoiceId: lateId,
      externalId: 'PV-LATER-W',
      issuedOn: '2026-07-01',
      amountMinor: 4_000_000,
      reason: 'later loss',
      kind: 'write_off',
    });
    const earlyOpen = await t.store.db
      .selectFrom('invoices')
      .select(['id', 'customer_id', 'open_minor'])
      .where('issue_date', '<=', asOf)
      .where('open_minor', '>', 0)
      .executeTakeFirstOrThrow();
    await recordPayments(services, 'test', [
      {
        customerId: earlyOpen.customer_id,
        externalId: 'PV-LATER-P',
        paidOn: '2026-06-02',
        amountMinor: earlyOpen.open_minor,
        currency: 'CNY',
        invoiceId: earlyOpen.id,
      },
    ]);
    expect(await computeProvision(services, asOf)).toEqual(before);
  });

  it('shortens the horizon on a young book, refuses a future date and bad settings, keeps a draft run', async () => {
    const young = await computeProvision(services, monthEnd(addMonths(TODAY as BusinessDate, -25)));
    expect(young.horizonMonthsUsed).toBeLessThan(12);
    await expect(computeProvision(services, '2027-01-31')).rejects.toMatchObject({ code: 'invalid_date' });
    await expect(computeProvision(services, TODAY, { overlay: 1.2 })).rejects.toMatchObject({
      code: 'required',
      field: 'overlayReason',
    });
    await expect(computeProvision(services, TODAY, { horizonMonths: 0 })).rejects.toMatchObject({
      field: 'horizonMonths',
    });
    const run = await recordProvisionRun(services, 'finance.clerk', await computeProvision(services, TODAY));
    const kept = await t.store.db
      .selectFrom('provision_runs')
      .selectAll()
      .where('id', '=', run.id)
      .executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ status: 'draft', as_of: TODAY, created_by: 'finance.clerk' });
  });

  it('takes its overlay from the economic cycle as of the date: the regime of the latest reading by then', async () => {
    await expect(computeProvision(services, TODAY, { overlayFromCycle: true })).rejects.toMatchObject({
      code: 'no_cycle_reading',
    });
    await expect(
      recordCycleReadings(services, 'economist', [
        { month: '2026-09', value: 48.7, source: 'NBS PMI' },
        { month: '2026-13', value: 50 },
      ]),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ index: 1, field: 'month' })] });
    await recordCycleReadings(services, 'economist', [
      { month: '2026-09', value: 48.7, source: 'NBS PMI' },
      { month: '2026-10', value: 50.2, source: 'NBS PMI' },
      { month: '2026-12', value: 52.0, source: 'NBS PMI' },
    ]);
    const cycle = await economicCycle(t.store.db, TODAY as BusinessDate);
    // November has no reading yet: October's stands; December's is not known on 30 November.
    expect(cycle.current).toMatchObject({ month: '2026-10', regime: 'neutral', pdScale: 1 });
    expect(cycle.items.map((i) => i.regime)).toEqual(['contraction', 'neutral', 'expansion']);
    const plain = await computeProvision(services, '2026-09-30');
    const cyclical = await computeProvision(services, '2026-09-30', { overlayFromCycle: true });
    expect(cyclical.settings).toMatchObject({ overlay: 1.3, overlayFromCycle: true });
    expect(cyclical.settings.overlayReason).toContain('contraction (indicator 48.7 for 2026-09');
    const rate = (r: typeof plain, bucket: string) =>
      r.matrix.find((m) => m.bucket === bucket)?.lossRate ?? 0;
    expect(rate(cyclical, 'over90')).toBeCloseTo(Math.min(1, rate(plain, 'over90') * 1.3), 12);
    await expect(
      computeProvision(services, TODAY, { overlayFromCycle: true, overlay: 1.1, overlayReason: 'both' }),
    ).rejects.toMatchObject({ field: 'overlayFromCycle' });
  });
});
