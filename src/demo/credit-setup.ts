import type { ReleaseTier } from '../core/limits/limits.js';
import type { RiskClass } from '../core/rating/risk-class.js';
import { addDays, addMonths, type BusinessDate, daysBetween } from '../core/time/business-date.js';
import type { Behaviour, DemoBook } from './generate.js';
import { SeededRandom } from './random.js';

export interface DemoCreditProfile {
  customerExternalId: string;
  riskClass: RiskClass;
  ratingGrade: number;
  stopSupply: boolean;
  insuredLimitMinor: number | null;
  insuredCoveragePercent: number | null;
}

export interface DemoLimit {
  subjectExternalId: string;
  subjectType: 'customer' | 'group';
  kind: 'permanent' | 'temporary';
  amountMinor: number;
  currency: string;
  startsOn: BusinessDate;
  expiresOn?: BusinessDate;
  tiers?: ReleaseTier[];
  reason: string;
}

export interface DemoCreditSetup {
  profiles: DemoCreditProfile[];
  limits: DemoLimit[];
  fxRates: { base: string; quote: string; asOf: BusinessDate; rate: number }[];
  liveOrders: { customerExternalId: string; externalId: string; amountMinor: number; currency: string }[];
}

const CLASS_BY_BEHAVIOUR: Record<Behaviour, readonly RiskClass[]> = {
  prompt: ['A', 'A', 'B'],
  seasonal: ['B', 'B', 'C'],
  slow: ['C', 'C', 'D'],
  disputer: ['B', 'C', 'C'],
  partial: ['C', 'D', 'D'],
  deteriorating: ['D', 'E', 'E'],
};
const GRADES: Record<RiskClass, readonly [number, number]> = {
  A: [1, 2],
  B: [3, 4],
  C: [5, 6],
  D: [7, 8],
  E: [9, 10],
};
const LIMIT_FACTOR: Record<RiskClass, number> = { A: 1.3, B: 1.1, C: 0.9, D: 0.6, E: 0.3 };
const TIERS: ReleaseTier[] = [
  { sharePercent: 40, onTimeInvoices: 0, monthsClean: 0 },
  { sharePercent: 70, onTimeInvoices: 4, monthsClean: 2 },
  { sharePercent: 100, onTimeInvoices: 10, monthsClean: 6 },
];
const RATE_CENTRE = { USD: 7.15, EUR: 7.8 } as const;

/**
 * The credit side of the demo book, derived deterministically from its trading history: risk
 * classes and grades by behaviour, limits sized on each customer's purchases, tiered limits for
 * recently won accounts, seasonal temporary limits, group limits, credit insurance on large
 * buyers, monthly FX rates, and a day's worth of live orders for the credit check to decide.
 */
export function demoCreditSetup(book: DemoBook, asOf: BusinessDate, seed: number): DemoCreditSetup {
  const random = new SeededRandom(seed + 1);
  const setup: DemoCreditSetup = { profiles: [], limits: [], fxRates: [], liveOrders: [] };
  const invoicesBy = new Map<string, { amount: number; issue: string; terms: number }[]>();
  for (const i of book.invoices) {
    const list = invoicesBy.get(i.customerExternalId) ?? [];
    list.push({ amount: i.amountMinor, issue: i.issueDate, terms: daysBetween(i.issueDate, i.dueDate) });
    invoicesBy.set(i.customerExternalId, list);
  }
  const writtenOff = new Set(
    book.creditNotes.filter((n) => n.kind === 'write_off').map((n) => n.invoiceExternalId.split('-')[0]),
  );
  const groupSums = new Map<string, number>();
  const exposureNow = openExposureAt(book);

  for (const customer of book.customers) {
    const riskClass = random.pick(CLASS_BY_BEHAVIOUR[customer.behaviour]);
    const [low, high] = GRADES[riskClass];
    const invoices = invoicesBy.get(customer.externalId) ?? [];
    const firstIssue = (invoices.map((i) => i.issue).sort()[0] ?? asOf) as BusinessDate;
    const months = Math.max(1, daysBetween(firstIssue, asOf) / 30);
    const monthly = invoices.reduce((s, i) => s + i.amount, 0) / months;
    const terms = invoices[0]?.terms ?? 30;
    // Purchases outstanding over the terms plus the month being billed, scaled by risk; good payers
    // also get headroom over what they owe today (a credit team sizes limits on use, too).
    const need = monthly * ((terms + 30) / 30) * LIMIT_FACTOR[riskClass];
    const inUse =
      riskClass <= 'C' ? (exposureNow.get(customer.externalId) ?? 0) * (1.2 + random.float() * 0.6) : 0;
    const limitMinor = Math.max(1_000_000, Math.round(Math.max(need, inUse) / 100_000) * 100_000);
    const large = customer.segment === 'large';
    const insured = large && random.chance(0.6);
    setup.profiles.push({
      customerExternalId: customer.externalId,
      riskClass,
      ratingGrade: random.int(low, high),
      stopSupply: writtenOff.has(customer.externalId),
      insuredLimitMinor: insured ? Math.round(limitMinor * 0.8) : null,
      insuredCoveragePercent: insured ? 90 : null,
    });
    const recent = daysBetween(firstIssue, asOf) < 240;
    setup.limits.push({
      subjectExternalId: customer.externalId,
      subjectType: 'customer',
      kind: 'permanent',
      amountMinor: limitMinor,
      currency: customer.currency,
      startsOn: recent ? firstIssue : addMonths(asOf, -random.int(3, 12)),
      ...(recent ? { tiers: TIERS } : {}),
      reason: recent
        ? 'new account: limit released in tiers as the customer pays on time'
        : 'annual credit review',
    });
    if (customer.behaviour === 'seasonal') {
      setup.limits.push({
        subjectExternalId: customer.externalId,
        subjectType: 'customer',
        kind: 'temporary',
        amountMinor: Math.round(limitMinor * 0.5),
        currency: customer.currency,
        startsOn: addDays(asOf, -30),
        expiresOn: addDays(asOf, 60),
        reason: 'peak season before the Spring Festival',
      });
    }
    if (customer.groupExternalId && customer.currency === 'CNY') {
      groupSums.set(customer.groupExternalId, (groupSums.get(customer.groupExternalId) ?? 0) + limitMinor);
    }
  }
  for (const [group, sum] of groupSums) {
    setup.limits.push({
      subjectExternalId: group,
      subjectType: 'group',
      kind: 'permanent',
      amountMinor: Math.round((sum * 0.8) / 100_000) * 100_000,
      currency: 'CNY',
      startsOn: addMonths(asOf, -6),
      reason: 'group limit: 80% of the members’ limits together',
    });
  }
  for (const [base, centre] of Object.entries(RATE_CENTRE)) {
    let rate = centre;
    for (let m = 24; m >= 0; m--) {
      rate = Math.round(rate * (1 + 0.01 * random.normal()) * 10_000) / 10_000;
      setup.fxRates.push({ base, quote: 'CNY', asOf: addMonths(asOf, -m), rate });
    }
  }
  // Today's orders: mostly ordinary, some large enough to meet the limit, for the queue to hold.
  for (let k = 0; k < 120; k++) {
    const customer = random.pick(book.customers);
    const typical = (invoicesBy.get(customer.externalId) ?? [])[0]?.amount ?? 1_000_000;
    const amountMinor =
      Math.round((typical * (random.chance(0.15) ? 3 + random.float() * 6 : 0.5 + random.float())) / 100) *
      100;
    setup.liveOrders.push({
      customerExternalId: customer.externalId,
      externalId: `LIVE-${String(k + 1).padStart(4, '0')}`,
      amountMinor,
      currency: customer.currency,
    });
  }
  return setup;
}

/** What each customer owes or has on order at the end of the book: open invoices plus open orders. */
function openExposureAt(book: DemoBook): Map<string, number> {
  const settled = new Map<string, number>();
  for (const p of book.payments)
    if (p.invoiceExternalId)
      settled.set(p.invoiceExternalId, (settled.get(p.invoiceExternalId) ?? 0) + p.amountMinor);
  for (const n of book.creditNotes)
    settled.set(n.invoiceExternalId, (settled.get(n.invoiceExternalId) ?? 0) + n.amountMinor);
  const out = new Map<string, number>();
  for (const i of book.invoices) {
    const open = Math.max(0, i.amountMinor - (settled.get(i.externalId) ?? 0));
    out.set(i.customerExternalId, (out.get(i.customerExternalId) ?? 0) + open);
  }
  for (const o of book.orders) {
    if (o.status === 'open' || o.status === 'shipped')
      out.set(o.customerExternalId, (out.get(o.customerExternalId) ?? 0) + o.amountMinor);
  }
  return out;
}
