import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { recordBuyerLimit } from '../../src/app/insurance/buyer-limits.js';
import { fileClaim, moveClaim } from '../../src/app/insurance/claims.js';
import { insuranceDeadlines, notifyInsurer } from '../../src/app/insurance/deadline-tracker.js';
import { createInsurancePolicy } from '../../src/app/insurance/insurance-policies.js';
import { turnoverDeclaration } from '../../src/app/insurance/turnover.js';
import { runMonitoring } from '../../src/app/monitoring/monitoring-run.js';
import { computeProvision } from '../../src/app/provisions/provision-run.js';
import {
  decideSpecificProvision,
  proposeSpecificProvision,
} from '../../src/app/provisions/specific-provisions.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { issueCreditNote } from '../../src/app/receivables/issue-credit-note.js';
import type { Services } from '../../src/app/services.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const TODAY = '2026-11-30';

describe.each(DIALECTS)(
  'credit insurance from policy to claim, and the reserve net of it (%s)',
  (dialect) => {
    let t: TestStore;
    let services: Services;
    let ids: Record<'a' | 'b' | 'c' | 'd', string>;
    let invoiceIds: Record<string, string>;
    let policyId: string;

    beforeAll(async () => {
      t = await freshStore(dialect);
      services = testServices(t.store, TODAY);
      const created = await createCustomers(
        services,
        'test',
        (['a', 'b', 'c', 'd'] as const).map((k) => ({
          externalId: `INS-${k}`,
          name: `Insured ${k.toUpperCase()}`,
          country: k === 'c' ? 'RU' : 'CN',
          currency: 'CNY',
          segment: 'mid' as const,
        })),
      );
      ids = { a: created[0]?.id, b: created[1]?.id, c: created[2]?.id, d: created[3]?.id } as typeof ids;
      const invoices = await createInvoices(services, 'test', [
        {
          customerId: ids.a,
          externalId: 'A1',
          invoiceNumber: 'A1',
          issueDate: '2026-07-31',
          dueDate: '2026-08-31',
          amountMinor: 100_000,
          currency: 'CNY',
        },
        {
          customerId: ids.a,
          externalId: 'A2',
          invoiceNumber: 'A2',
          issueDate: '2026-09-15',
          dueDate: '2026-10-15',
          amountMinor: 50_000,
          currency: 'CNY',
        },
        {
          customerId: ids.b,
          externalId: 'B1',
          invoiceNumber: 'B1',
          issueDate: '2026-11-01',
          dueDate: '2026-11-20',
          amountMinor: 30_000,
          currency: 'CNY',
        },
        {
          customerId: ids.c,
          externalId: 'C1',
          invoiceNumber: 'C1',
          issueDate: '2026-09-01',
          dueDate: '2026-10-01',
          amountMinor: 40_000,
          currency: 'CNY',
        },
        // History with a loss, so the matrix has rates to learn.
        {
          customerId: ids.d,
          externalId: 'D1',
          invoiceNumber: 'D1',
          issueDate: '2025-01-10',
          dueDate: '2025-02-10',
          amountMinor: 100_000,
          currency: 'CNY',
        },
        {
          customerId: ids.d,
          externalId: 'D2',
          invoiceNumber: 'D2',
          issueDate: '2025-03-10',
          dueDate: '2025-04-10',
          amountMinor: 80_000,
          currency: 'CNY',
        },
      ]);
      invoiceIds = Object.fromEntries(invoices.map((i) => [i.externalId, i.id]));
      for (const [ref, on, amount] of [
        ['D1', '2025-09-01', 100_000],
        ['D2', '2025-12-01', 80_000],
      ] as const)
        await issueCreditNote(services, 'test', {
          invoiceId: invoiceIds[ref] as string,
          externalId: `W-${ref}`,
          issuedOn: on,
          amountMinor: amount,
          reason: 'insolvent',
          kind: 'write_off',
        });
    }, 60_000);
    afterAll(async () => t.dispose());

    it('records a policy with every term checked, refusing a second of the same number', async () => {
      const input = {
        insurer: 'Allianz Trade',
        policyNumber: 'AT-2026-001',
        currency: 'CNY',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        indemnityPercent: 90,
        deductibleMinor: 10_000,
        maxLiabilityMinor: 50_000_000,
        discretionaryLimitMinor: 20_000,
        maxExtensionDays: 30,
        notificationDays: 60,
        claimFilingDays: 150,
        premiumRatePercent: 0.3,
        excludedCountries: ['RU'],
      };
      await expect(
        createInsurancePolicy(services, 'finance', { ...input, indemnityPercent: 120 }),
      ).rejects.toMatchObject({
        field: 'indemnityPercent',
      });
      await expect(
        createInsurancePolicy(services, 'finance', { ...input, claimFilingDays: 30 }),
      ).rejects.toMatchObject({
        field: 'claimFilingDays',
      });
      policyId = (await createInsurancePolicy(services, 'finance', input)).id;
      await expect(createInsurancePolicy(services, 'finance', input)).rejects.toMatchObject({
        code: 'duplicate_policy_number',
      });
    });

    it("puts the insurer's decisions on the credit profile; a cut is an outside signal and an alert", async () => {
      await expect(
        recordBuyerLimit(services, 'analyst', {
          policyId,
          customerId: ids.a,
          status: 'approved',
          effectiveOn: '2026-06-01',
        }),
      ).rejects.toMatchObject({ field: 'approvedMinor' });
      await recordBuyerLimit(services, 'analyst', {
        policyId,
        customerId: ids.a,
        status: 'requested',
        requestedMinor: 150_000,
        effectiveOn: '2026-05-20',
      });
      await recordBuyerLimit(services, 'analyst', {
        policyId,
        customerId: ids.a,
        status: 'partially_approved',
        requestedMinor: 150_000,
        approvedMinor: 120_000,
        effectiveOn: '2026-06-01',
      });
      const profile = () =>
        t.store.db
          .selectFrom('credit_profiles')
          .select(['insured_limit_minor', 'insured_coverage_percent'])
          .where('customer_id', '=', ids.a)
          .executeTakeFirstOrThrow();
      expect(await profile()).toEqual({ insured_limit_minor: 120_000, insured_coverage_percent: 90 });
      await recordBuyerLimit(services, 'analyst', {
        policyId,
        customerId: ids.a,
        status: 'reduced',
        approvedMinor: 60_000,
        effectiveOn: TODAY,
        reference: 'AT-L-77',
      });
      expect(Number((await profile()).insured_limit_minor)).toBe(60_000);
      const signals = await t.store.db
        .selectFrom('external_signals')
        .selectAll()
        .where('customer_id', '=', ids.a)
        .execute();
      expect(signals).toEqual([
        expect.objectContaining({ signal_type: 'insurer_limit_cut', occurred_on: TODAY }),
      ]);
      expect(
        await t.store.db.selectFrom('alerts').select('id').where('customer_id', '=', ids.a).execute(),
      ).not.toHaveLength(0);
      // The RU buyer has no named limit and its country is excluded: no cover.
      const c = await t.store.db
        .selectFrom('credit_profiles')
        .select('insured_limit_minor')
        .where('customer_id', '=', ids.c)
        .executeTakeFirstOrThrow();
      expect(c.insured_limit_minor).toBeNull();
    });

    it('tracks every overdue invoice of a covered buyer against its deadlines, soonest first', async () => {
      const tracker = await insuranceDeadlines(services);
      expect(tracker.items.map((i) => [i.invoiceNumber, i.state, i.notifyBy, i.daysLeft])).toEqual([
        ['A2', 'notify', '2026-12-14', 14],
        ['B1', 'notify', '2027-01-19', 50],
        ['A1', 'cover_lost', '2026-10-30', -31],
      ]);
      expect(tracker.items[0]?.claimBy).toBe('2027-03-14');
      // A week before A2's deadline the nightly run raises an alert for its buyer (and none for B).
      await runMonitoring({ ...testServices(t.store, '2026-12-10'), ids: services.ids }, 'job');
      const alerts = await t.store.db
        .selectFrom('alerts')
        .selectAll()
        .where('rule_id', '=', 'insurer_deadline')
        .execute();
      expect(alerts.map((a) => [a.customer_id, a.action, JSON.parse(a.facts_json)])).toEqual([
        [ids.a, 'notify_insurer', { invoices: 1, daysLeft: 4 }],
      ]);
    });

    it('notifies the insurer of many invoices at once, each only once, refusing the whole batch on a bad one', async () => {
      await expect(
        notifyInsurer(services, 'collector', [invoiceIds.A2 as string, invoiceIds.C1 as string]),
      ).rejects.toMatchObject({
        code: 'not_notifiable',
        field: 'invoiceIds[1]',
      });
      expect(await t.store.db.selectFrom('insurer_notifications').select('id').execute()).toHaveLength(0);
      const done = await notifyInsurer(services, 'collector', [
        invoiceIds.A2 as string,
        invoiceIds.A1 as string,
      ]);
      expect(done.items.map((i) => [i.invoiceNumber, i.lateNotice])).toEqual([
        ['A2', false],
        ['A1', true],
      ]);
      await expect(notifyInsurer(services, 'collector', [invoiceIds.A2 as string])).rejects.toMatchObject({
        code: 'already_notified',
      });
      // Once A2 is notified, the next run clears the deadline alert.
      await runMonitoring({ ...testServices(t.store, '2026-12-11'), ids: services.ids }, 'job');
      const alert = await t.store.db
        .selectFrom('alerts')
        .selectAll()
        .where('rule_id', '=', 'insurer_deadline')
        .executeTakeFirstOrThrow();
      expect(alert).toMatchObject({ state: 'cleared', ended_on: '2026-12-11' });
      const states = (await insuranceDeadlines(services)).items.map((i) => [i.invoiceNumber, i.state]);
      expect(states).toEqual([
        ['B1', 'notify'],
        ['A1', 'cover_lost'],
        ['A2', 'notified'],
      ]);
    });

    it('takes a claim from filing to payment and shares a recovery by the indemnity', async () => {
      const claim = await fileClaim(services, 'finance', {
        policyId,
        customerId: ids.a,
        claimedMinor: 50_000,
        documents: ['invoice A2', 'statement of account'],
      });
      await expect(
        moveClaim(services, 'finance', claim.id, { action: 'pay', paidMinor: 1, paidOn: TODAY }),
      ).rejects.toMatchObject({ code: 'invalid_transition' });
      await expect(
        moveClaim(services, 'finance', claim.id, { action: 'accept', acceptedMinor: 60_000 }),
      ).rejects.toMatchObject({ field: 'acceptedMinor' });
      await moveClaim(services, 'finance', claim.id, { action: 'accept', acceptedMinor: 45_000 });
      await moveClaim(services, 'finance', claim.id, { action: 'pay', paidMinor: 45_000, paidOn: TODAY });
      const after = await moveClaim(services, 'finance', claim.id, {
        action: 'recover',
        amountMinor: 10_001,
        receivedOn: TODAY,
      });
      expect(after).toMatchObject({
        status: 'paid',
        paidMinor: 45_000,
        recoveredMinor: 10_001,
        insurerRecoveryShareMinor: 9_001,
      });
    });

    it('declares the month’s insured turnover per buyer and country with the premium', async () => {
      const declaration = await turnoverDeclaration(services, policyId, '2026-11');
      expect(declaration).toMatchObject({ currency: 'CNY', turnoverMinor: 30_000, premiumMinor: 90 });
      expect(declaration.byBuyer.map((b) => b.customerName)).toEqual(['Insured B']);
      await expect(turnoverDeclaration(services, policyId, '2026-13')).rejects.toMatchObject({
        field: 'month',
      });
    });

    it('reserves net of cover — exactly the covered share — and individually for an impaired customer, with four eyes', async () => {
      const bare = await computeProvision(services, '2026-05-31'); // before any cover was in effect
      expect(bare.coverReliefMinor).toBe(0);
      const now = await computeProvision(services, TODAY);
      const a = now.topCustomers.find((c) => c.customerId === ids.a);
      // A: 150,000 open; A1 lost its cover; insurable 50,000 within the 60,000 limit, less 10,000 deductible
      // → covered 40,000 of 150,000 at 90 %.
      const gross = (a?.reserveMinor ?? 0) + (a?.coverReliefMinor ?? 0);
      expect(gross).toBeGreaterThan(0);
      expect(Math.abs((a?.coverReliefMinor ?? 0) - gross * (40_000 / 150_000) * 0.9)).toBeLessThanOrEqual(1);

      const proposal = await proposeSpecificProvision(services, 'analyst', {
        customerId: ids.b,
        recoveryRate: 0.2,
        reason: 'filed for bankruptcy',
      });
      await expect(
        decideSpecificProvision(services, 'analyst', proposal.id, 'approve'),
      ).rejects.toMatchObject({ code: 'four_eyes_violation' });
      await decideSpecificProvision(services, 'manager', proposal.id, 'approve');
      const withSpecific = await computeProvision(services, TODAY);
      // B: 30,000 × (1 − 20 %) = 24,000; discretionary cover 20,000 − 10,000 deductible = 10,000 of 30,000 at 90 %.
      expect(withSpecific.specific).toEqual([
        expect.objectContaining({
          customerName: 'Insured B',
          grossReserveMinor: 24_000,
          coverReliefMinor: 7_200,
          reserveMinor: 16_800,
        }),
      ]);
      expect(withSpecific.reserveMinor).toBe(
        withSpecific.buckets.reduce((s, b) => s + b.reserveMinor, 0) + 16_800,
      );
      // The matrix no longer counts B.
      expect(withSpecific.buckets.reduce((s, b) => s + b.openMinor, 0)).toBe(
        now.buckets.reduce((s, b) => s + b.openMinor, 0) - 30_000,
      );
      // As of a date before the approval, B is still in the matrix.
      expect((await computeProvision(services, '2026-11-29')).specific).toEqual([]);
    });
  },
);
