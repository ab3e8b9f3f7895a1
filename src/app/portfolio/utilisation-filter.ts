import { storeVersion } from '../../store/store-version.js';
import type { Services } from '../services.js';
import { ownCurrencyPositions } from './overview.js';

type Share = readonly [string, number | null];

/** Every customer's share of its limit in use, as last computed, with the store's mark it holds for. */
const computed = new WeakMap<object, { readonly mark: string; readonly shares: readonly Share[] }>();

/** Exposure over the limit in force; with no limit, over any share with exposure, of no share without. */
async function sharesOf(
  services: Services,
  customers: readonly { id: string; currency: string }[],
  few: boolean,
) {
  const { db, dialect } = services.store;
  const { positions } = await ownCurrencyPositions(
    db,
    services.clock.today(),
    customers,
    [],
    few ? dialect : undefined,
  );
  return customers.map((c): Share => {
    const p = positions.get(c.id);
    const exposure = p?.exposure.totalMinor ?? 0;
    const limit = p?.limitMinor ?? 0;
    return [c.id, limit > 0 ? exposure / limit : exposure > 0 ? Number.POSITIVE_INFINITY : null];
  });
}

/**
 * The customers whose exposure today is at least `min` of their limit in force (0.9: 90 %), as
 * the order check sees both; exposure with no limit at all counts as over any share. For lists
 * such as "my customers over 90 % utilisation". `among`: only these (the few the list's other
 * filters keep), their limits and balances read alone. Otherwise the whole book, whose shares are
 * kept on SQLite until the store changes (paging through the list computes them once);
 * PostgreSQL computes them every time.
 */
export async function customersAtUtilisation(
  services: Services,
  min: number,
  among?: readonly { id: string; currency: string }[],
): Promise<string[]> {
  const keep = (shares: readonly Share[]) =>
    shares.filter(([, share]) => share !== null && share >= min).map(([id]) => id);
  if (among) return keep(await sharesOf(services, among, true));
  const { db, dialect } = services.store;
  const mark = dialect === 'sqlite' ? `${services.clock.today()}/${await storeVersion(db)}` : null;
  let book = mark === null ? undefined : computed.get(services.store);
  if (!book || book.mark !== mark) {
    const customers = await db.selectFrom('customers').select(['id', 'currency']).execute();
    book = { mark: mark ?? '', shares: await sharesOf(services, customers, false) };
    if (mark !== null) computed.set(services.store, book);
  }
  return keep(book.shares);
}
