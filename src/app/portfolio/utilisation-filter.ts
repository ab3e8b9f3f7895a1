import { storeVersion } from '../../store/store-version.js';
import type { Services } from '../services.js';
import { ownCurrencyPositions } from './overview.js';

/** Every customer's share of its limit in use, as last computed, with the store's mark it holds for. */
const computed = new WeakMap<
  object,
  { readonly mark: string; readonly shares: readonly [string, number | null][] }
>();

/**
 * The customers whose exposure today is at least `min` of their limit in force (0.9: 90 %), as
 * the order check sees both; exposure with no limit at all counts as over any share. For lists
 * such as "my customers over 90 % utilisation". On SQLite the shares are kept until the store
 * changes (paging through the list computes them once); PostgreSQL computes them every time.
 */
export async function customersAtUtilisation(services: Services, min: number): Promise<string[]> {
  const { db, dialect } = services.store;
  const today = services.clock.today();
  const mark = dialect === 'sqlite' ? `${today}/${await storeVersion(db)}` : null;
  let shares = mark === null ? undefined : computed.get(services.store);
  if (!shares || shares.mark !== mark) {
    const customers = await db.selectFrom('customers').select(['id', 'currency']).execute();
    const { positions } = await ownCurrencyPositions(db, today, customers);
    shares = {
      mark: mark ?? '',
      shares: customers.map((c) => {
        const p = positions.get(c.id);
        const exposure = p?.exposure.totalMinor ?? 0;
        const limit = p?.limitMinor ?? 0;
        // No limit: over any share with exposure, of no share at all without.
        return [c.id, limit > 0 ? exposure / limit : exposure > 0 ? Number.POSITIVE_INFINITY : null];
      }),
    };
    if (mark !== null) computed.set(services.store, shares);
  }
  return shares.shares.filter(([, share]) => share !== null && share >= min).map(([id]) => id);
}
