import { DEFAULT_APPETITE, measureAppetite } from '../../core/appetite/risk-appetite.js';
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
  const appetite = policy.document.appetite ?? DEFAULT_APPETITE;
  const measures = measureAppetite(
    {
      customers: exposures.map((c) => ({
        ...c,
        groupName: c.groupId ? (groupNames.get(c.groupId) ?? null) : null,
      })),
      dsoDays: month?.dso ?? null,
    },
    appetite,
  );
  return {
    asOf: today,
    currency: target,
    policyVersion: policy.version,
    measures,
    breaches: measures.filter((m) => m.breached).map((m) => m.measure),
  };
}
