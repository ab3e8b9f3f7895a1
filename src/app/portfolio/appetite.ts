import { type AppetiteInput, DEFAULT_APPETITE, measureAppetite } from '../../core/appetite/risk-appetite.js';
import { assertConverted } from '../credit/fx-rates.js';
import { activePolicy } from '../credit/policies.js';
import { monthlyDso } from '../receivables/receivables-report.js';
import type { Services } from '../services.js';
import { bookExposures } from './overview.js';

/**
 * The live book against the risk appetite of the policy in force (H3): expected loss rate, the
 * worst classes' share, single-name and group concentration, uninsured share, this month's DSO.
 */
export async function bookAppetite(services: Services) {
  const { today, currency, policyVersion, input, appetite } = await appetiteInput(services);
  const measures = measureAppetite(input, appetite);
  return {
    asOf: today,
    currency,
    policyVersion,
    measures,
    breaches: measures.filter((m) => m.breached).map((m) => m.measure),
  };
}

/** What the appetite is measured on: each customer's exposure, class, grade and cover, and the month's DSO. */
export async function appetiteInput(services: Services) {
  const { db } = services.store;
  const [{ today, target, exposures, missing }, policy] = await Promise.all([
    bookExposures(services),
    activePolicy(db),
  ]);
  assertConverted([...missing], target, today);
  const groupNames = new Map(
    (await db.selectFrom('customer_groups').select(['id', 'name']).execute()).map((g) => [g.id, g.name]),
  );
  const [month] = (await monthlyDso(db, { from: today, to: today, method: 'countback' })).months;
  const input: AppetiteInput = {
    customers: exposures.map((c) => ({
      ...c,
      groupName: c.groupId ? (groupNames.get(c.groupId) ?? null) : null,
    })),
    dsoDays: month?.dso ?? null,
  };
  return {
    today,
    currency: target,
    policyVersion: policy.version,
    appetite: policy.document.appetite ?? DEFAULT_APPETITE,
    input,
  };
}
