import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeAgreedTerms } from '../../src/app/credit/agreed-terms.js';
import { decideLimitRequest, requestLimit } from '../../src/app/credit/limit-requests.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import type { Services } from '../../src/app/services.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

describe.each(DIALECTS)('the agreed terms execute themselves (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let customerId = '';
  const manager = { actor: 'manager', role: 'credit_manager' };
  const limitRow = (kind: string) =>
    t.store.db
      .selectFrom('credit_limits')
      .select(['status', 'released_percent'])
      .where('subject_id', '=', customerId)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow();
  const grant = async (input: Parameters<typeof requestLimit>[2]) => {
    const request = await requestLimit(services, 'analyst', input);
    await decideLimitRequest(services, manager, request.id, { approve: true, note: 'agreed' });
  };

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store, '2026-03-01');
    const [customer] = await createCustomers(services, 'test', [
      { externalId: 'AT-1', name: 'Terms Ltd', country: 'CN', currency: 'CNY', segment: 'mid' },
    ]);
    customerId = customer?.id ?? '';
    await grant({
      subjectType: 'customer',
      subjectId: customerId,
      kind: 'permanent',
      amountMinor: 1_000_000_00,
      currency: 'CNY',
      tiers: [
        { sharePercent: 50, onTimeInvoices: 0, monthsClean: 0 },
        { sharePercent: 100, onTimeInvoices: 2, monthsClean: 0 },
      ],
      reason: 'new buyer, released as it proves itself',
    });
    await grant({
      subjectType: 'customer',
      subjectId: customerId,
      kind: 'temporary',
      amountMinor: 200_000_00,
      currency: 'CNY',
      expiresOn: '2026-03-10',
      reason: 'spring season',
    });
  });
  afterAll(async () => t.dispose());

  it('expires a temporary limit past its end and releases a tier whose milestone is met, each once, audited', async () => {
    expect(await executeAgreedTerms(services, 'job')).toEqual({ temporariesExpired: 0, tiersReleased: 0 });
    expect((await limitRow('permanent')).released_percent).toBe(50);
    await createInvoices(
      services,
      'test',
      [1, 2].map((k) => ({
        externalId: `AT-I${k}`,
        customerId,
        invoiceNumber: `AT-I${k}`,
        issueDate: '2026-03-01',
        dueDate: '2026-03-31',
        amountMinor: 10_000_00,
        currency: 'CNY',
      })),
    );
    await recordPayments(
      services,
      'test',
      [1, 2].map((k) => ({
        externalId: `AT-P${k}`,
        customerId,
        invoiceExternalId: `AT-I${k}`,
        paidOn: '2026-03-05',
        amountMinor: 10_000_00,
        currency: 'CNY',
      })),
    );
    const later = testServices(t.store, '2026-03-11');
    expect(await executeAgreedTerms(later, 'job')).toEqual({ temporariesExpired: 1, tiersReleased: 1 });
    expect(await limitRow('temporary')).toMatchObject({ status: 'expired' });
    expect((await limitRow('permanent')).released_percent).toBe(100);
    expect(await executeAgreedTerms(later, 'job')).toEqual({ temporariesExpired: 0, tiersReleased: 0 });
    const audit = await t.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'in', ['limit.expired', 'limit.tier_released'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['limit.expired', 'limit.tier_released']);
  });
});
