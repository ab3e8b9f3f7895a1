import { DomainError } from '../../core/errors.js';
import { buyerLimitOn } from '../../core/insurance/insurance-policy.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { type BusinessDate, monthEnd } from '../../core/time/business-date.js';
import { assertConverted, converter } from '../credit/fx-rates.js';
import type { Services } from '../services.js';
import { decisionsByCustomer } from './buyer-limits.js';
import { insurancePolicyRow, termsOf } from './insurance-policies.js';

/**
 * The monthly turnover declaration the premium is charged on: invoices issued in the month to
 * buyers the policy covered on their issue date, per buyer and per country, in the policy's
 * currency (at the month-end rate), with the premium at the policy's rate.
 */
export async function turnoverDeclaration(services: Services, policyId: string, month: string) {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new DomainError('invalid_month', 'month must be YYYY-MM', 'month');
  const { db } = services.store;
  const row = await insurancePolicyRow(db, policyId);
  const terms = termsOf(row);
  const first = `${month}-01` as BusinessDate;
  const last = monthEnd(month);
  const invoices = await db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.customer_id',
      'invoices.issue_date',
      'invoices.amount_minor',
      'invoices.currency',
      'customers.name',
      'customers.country',
    ])
    .where('invoices.issue_date', '>=', first)
    .where('invoices.issue_date', '<=', last)
    .execute();
  const { toTarget, missing } = await converter(
    db,
    last,
    terms.currency as CurrencyCode,
    invoices.map((i) => i.currency),
  );
  assertConverted(missing, terms.currency as CurrencyCode, last);
  const decisions = await decisionsByCustomer(db, terms.id, last, [
    ...new Set(invoices.map((i) => i.customer_id)),
  ]);
  const buyers = new Map<
    string,
    { customerId: string; customerName: string; country: string; turnoverMinor: number; invoices: number }
  >();
  for (const inv of invoices) {
    const covered = buyerLimitOn(
      terms,
      decisions.get(inv.customer_id) ?? [],
      inv.country,
      inv.issue_date as BusinessDate,
    );
    if (covered.limitMinor <= 0) continue;
    const b = buyers.get(inv.customer_id) ?? {
      customerId: inv.customer_id,
      customerName: inv.name,
      country: inv.country,
      turnoverMinor: 0,
      invoices: 0,
    };
    b.turnoverMinor += toTarget(Number(inv.amount_minor), inv.currency);
    b.invoices += 1;
    buyers.set(inv.customer_id, b);
  }
  const byBuyer = [...buyers.values()].sort((a, b) => b.turnoverMinor - a.turnoverMinor);
  const countries = new Map<string, number>();
  for (const b of byBuyer) countries.set(b.country, (countries.get(b.country) ?? 0) + b.turnoverMinor);
  const turnoverMinor = byBuyer.reduce((s, b) => s + b.turnoverMinor, 0);
  return {
    policyId,
    policyNumber: row.policy_number,
    month,
    currency: terms.currency,
    turnoverMinor,
    premiumRatePercent: Number(row.premium_rate_percent),
    premiumMinor: Math.round((turnoverMinor * Number(row.premium_rate_percent)) / 100),
    byCountry: [...countries].map(([country, minor]) => ({ country, turnoverMinor: minor })),
    byBuyer,
  };
}
