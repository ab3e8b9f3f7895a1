import { recordCollateral } from '../app/collateral/collateral.js';
import { recordCycleReadings } from '../app/cycle/cycle-readings.js';
import { recordBuyerLimit } from '../app/insurance/buyer-limits.js';
import { fileClaim, moveClaim } from '../app/insurance/claims.js';
import { createInsurancePolicy } from '../app/insurance/insurance-policies.js';
import {
  approveProvisionRun,
  computeProvision,
  recordProvisionRun,
} from '../app/provisions/provision-run.js';
import { proposeSpecificProvision } from '../app/provisions/specific-provisions.js';
import type { Services } from '../app/services.js';
import { insertAudited } from '../app/write-records.js';
import { invoiceDeadlines } from '../core/insurance/deadlines.js';
import type { InsuranceTerms } from '../core/insurance/insurance-policy.js';
import { addDays, addMonths, type BusinessDate, monthEnd } from '../core/time/business-date.js';

const ACTOR = 'demo-seed';

/**
 * Credit insurance as a credit department runs it: a whole-turnover policy in force for eleven
 * months, named limits on the largest buyers (one cut, one refused, one application waiting),
 * guarantees and a letter of credit on three of them (one expiring within the month),
 * overdue notifications made in time except one, and a claim paid on a written-off buyer.
 */
export async function seedInsurance(services: Services, asOf: BusinessDate) {
  const { db } = services.store;
  const startsOn = `${addMonths(asOf, -11).slice(0, 7)}-01` as BusinessDate;
  const policy = await createInsurancePolicy(services, ACTOR, {
    insurer: '中国出口信用保险公司 (Sinosure) — domestic trade credit',
    policyNumber: `SINO-DT-${startsOn.slice(0, 4)}-0412`,
    currency: 'CNY',
    startsOn,
    endsOn: addDays(addMonths(startsOn, 12), -1),
    indemnityPercent: 90,
    deductibleMinor: 0,
    aggregateFirstLossMinor: 50_000_000,
    maxLiabilityMinor: 20_000_000_000,
    discretionaryLimitMinor: 20_000_000,
    maxExtensionDays: 60,
    notificationDays: 60,
    claimFilingDays: 150,
    premiumRatePercent: 0.28,
    excludedCountries: [],
  });
  // Named limits on the buyers with the largest credit limits: 60 % of what Fulcrum grants.
  const largest = await db
    .selectFrom('credit_limits')
    .innerJoin('customers', 'customers.id', 'credit_limits.subject_id')
    .select(['customers.id', 'customers.currency', 'credit_limits.amount_minor'])
    .where('credit_limits.subject_type', '=', 'customer')
    .where('credit_limits.kind', '=', 'permanent')
    .where('customers.currency', '=', 'CNY')
    .where('credit_limits.status', '=', 'active')
    .orderBy('credit_limits.amount_minor', 'desc')
    .orderBy('customers.id')
    .limit(33)
    .execute();
  const record = (
    customerId: string,
    status: string,
    minor: number | null,
    effectiveOn: string,
    note?: string,
  ) =>
    recordBuyerLimit(services, 'analyst', {
      policyId: policy.id,
      customerId,
      status,
      requestedMinor: status === 'requested' ? minor : null,
      approvedMinor: status === 'requested' || status === 'refused' ? null : minor,
      effectiveOn,
      reference: `SINO-BL-${customerId.slice(-6)}`,
      note: note ?? null,
    });
  for (const [i, c] of largest.entries()) {
    const named = Math.round((Number(c.amount_minor) * 0.6) / 100_000) * 100_000;
    if (i === largest.length - 1) await record(c.id, 'requested', named, asOf, 'new buyer: application sent');
    else if (i === largest.length - 2)
      await record(c.id, 'refused', null, addDays(startsOn, 14), 'insufficient financial information');
    else {
      await record(c.id, 'approved', named, startsOn);
      if (i === 3)
        await record(
          c.id,
          'reduced',
          Math.round(named / 2 / 100_000) * 100_000,
          addDays(asOf, -18),
          'insurer review: payment experience',
        );
    }
  }
  // Security held on three of the named buyers: one guarantee expires within the month (an alert).
  for (const [i, c] of largest.slice(4, 7).entries())
    await recordCollateral(services, 'analyst', c.id, {
      kind: i === 2 ? 'letter_of_credit' : 'bank_guarantee',
      issuer: ['中国银行 上海分行', '招商银行 深圳分行', 'HSBC Hong Kong'][i] as string,
      reference: `${i === 2 ? 'LC' : 'BG'}-${startsOn.slice(0, 4)}-${101 + i}`,
      amountMinor: Math.round((Number(c.amount_minor) * 0.2) / 100_000) * 100_000,
      currency: 'CNY',
      validFrom: startsOn,
      expiresOn: addDays(asOf, i === 0 ? 20 : 200),
    });
  const notified = await seedNotifications(services, asOf, {
    ...policy,
    indemnity: 0.9,
    startsOn,
    endsOn: policy.endsOn as BusinessDate,
  } as InsuranceTerms);
  const claim = await seedPaidClaim(services, policy.id, asOf);
  return { policyId: policy.id, namedLimits: largest.length, notified, claim };
}

/** Overdue invoices of covered buyers notified 40 days after their due date — all but the largest one. */
async function seedNotifications(services: Services, asOf: BusinessDate, terms: InsuranceTerms) {
  const { db } = services.store;
  const overdue = await db
    .selectFrom('invoices')
    .innerJoin('credit_profiles', 'credit_profiles.customer_id', 'invoices.customer_id')
    .select(['invoices.id', 'invoices.customer_id', 'invoices.due_date', 'invoices.open_minor'])
    .where('invoices.open_minor', '>', 0)
    .where('credit_profiles.insured_limit_minor', '>', 0)
    .where('invoices.due_date', '<', addDays(asOf, -40))
    .where('invoices.due_date', '>=', terms.startsOn)
    .orderBy('invoices.open_minor', 'desc')
    .orderBy('invoices.id')
    .execute();
  const rows = overdue.slice(1).map((inv) => ({
    id: services.ids.next('ntf'),
    policy_id: terms.id,
    invoice_id: inv.id,
    customer_id: inv.customer_id,
    notified_on: addDays(invoiceDeadlines(terms, inv.due_date as BusinessDate).effectiveDueDate, 40),
    open_minor: Number(inv.open_minor),
    recorded_by: 'collector',
    recorded_at: services.clock.now().toISOString(),
  }));
  if (rows.length > 0)
    await insertAudited(
      db,
      'insurer_notifications',
      rows,
      (r) => ({ id: r.id, invoiceId: r.invoice_id, notifiedOn: r.notified_on }),
      {
        actor: ACTOR,
        now: services.clock.now().toISOString(),
        action: 'insurer_notification.recorded',
      },
    );
  return rows.length;
}

/** A claim on the most recently written-off buyer: filed, accepted at the indemnity, paid. */
async function seedPaidClaim(services: Services, policyId: string, asOf: BusinessDate) {
  const writeOff = await services.store.db
    .selectFrom('credit_notes')
    .select(['customer_id', 'amount_minor', 'issued_on', 'currency'])
    .where('kind', '=', 'write_off')
    .where('currency', '=', 'CNY')
    .where('issued_on', '<', addDays(asOf, -45))
    .orderBy('issued_on', 'desc')
    .orderBy('id')
    .executeTakeFirst();
  if (!writeOff) return null;
  const claimed = Number(writeOff.amount_minor);
  const claim = await fileClaim(services, 'finance', {
    policyId,
    customerId: writeOff.customer_id,
    claimedMinor: claimed,
    filedOn: addDays(writeOff.issued_on as BusinessDate, -20),
    documents: ['invoices', 'statement of account', 'dunning letters', 'court filing'],
  });
  await moveClaim(services, 'finance', claim.id, {
    action: 'accept',
    acceptedMinor: Math.round(claimed * 0.9),
  });
  await moveClaim(services, 'finance', claim.id, {
    action: 'pay',
    paidMinor: Math.round(claimed * 0.9),
    paidOn: addDays(writeOff.issued_on as BusinessDate, 25),
  });
  return claim.id;
}

/**
 * The month-end provision runs of the last two years, each approved by finance, so the reserve
 * screen has its movements and the back-test its history; and an individual assessment waiting
 * for approval on a buyer in bankruptcy.
 */
export async function seedProvisionHistory(services: Services, asOf: BusinessDate, months: number) {
  let kept = 0;
  for (let k = months; k >= 1; k--) {
    const day = monthEnd(addMonths(asOf, -k));
    try {
      const result = await computeProvision(services, day);
      const run = await recordProvisionRun(services, 'finance.clerk', result);
      await approveProvisionRun(services, 'finance.manager', run.id, 'month-end close');
      kept += 1;
    } catch (error) {
      if ((error as { code?: string }).code !== 'not_enough_history') throw error;
    }
  }
  const bankrupt = await services.store.db
    .selectFrom('external_signals')
    .innerJoin('customers', 'customers.id', 'external_signals.customer_id')
    .select('customers.id')
    .where('external_signals.signal_type', '=', 'bankruptcy_filing')
    .where('customers.currency', '=', 'CNY')
    .orderBy('external_signals.occurred_on', 'desc')
    .executeTakeFirst();
  if (bankrupt)
    await proposeSpecificProvision(services, 'analyst', {
      customerId: bankrupt.id,
      recoveryRate: 0.15,
      reason: 'bankruptcy filing accepted by the court; the administrator expects a dividend of about 15 %',
    });
  return kept;
}

/**
 * Three years of a PMI-like monthly indicator: a slow wave around the 50 line dipping into
 * contraction in the last half-year, as the book's late payers multiply.
 */
export async function seedCycle(services: Services, asOf: BusinessDate) {
  const readings = Array.from({ length: 36 }, (_, k) => {
    // Up to last month: this month's figure is not published yet.
    const month = addMonths(asOf, k - 36).slice(0, 7);
    const wave = 1.4 * Math.sin(k / 4) - (k >= 30 ? 2.5 : 0);
    return { month, value: Math.round((50.3 + wave) * 10) / 10, source: 'NBS manufacturing PMI (demo)' };
  });
  return (await recordCycleReadings(services, ACTOR, readings)).recorded;
}
