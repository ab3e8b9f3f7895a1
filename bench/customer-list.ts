/**
 * The customer list over 50,000 customers through the HTTP API (issue 18: ≤ 300 ms per page,
 * filtered and sorted): the first page by name either way, a page deep in the list (its cursor
 * followed from the first), found by part of a name, and filtered by segment and sales owner.
 * `npm run bench:customer-list [-- CUSTOMERS]` (`DATABASE_URL=postgres://…` for PostgreSQL).
 */
import { ensureBootstrapKey } from '../src/app/auth/api-keys.js';
import { build } from '../src/http/app.js';
import {
  benchCustomers,
  CUSTOMER_COLUMNS,
  CUSTOMER_TYPES,
  loadedStore,
  PROFILE_COLUMNS,
  PROFILE_TYPES,
  timed,
} from './bulk-load.js';

const count = Number(process.argv[2] ?? 50_000);
const KEY = 'fk_bench_customer_list_key_0123456789';
const rows = benchCustomers(count, '2026-11-28T00:00:00.000Z');
const { store, cleanup } = await loadedStore([
  { table: 'customers', columns: CUSTOMER_COLUMNS, types: CUSTOMER_TYPES, rows: rows.customers },
  { table: 'credit_profiles', columns: PROFILE_COLUMNS, types: PROFILE_TYPES, rows: rows.profiles },
]);
const services = {
  store,
  clock: { today: () => '2026-11-28' as never, now: () => new Date('2026-11-28T08:00:00.000Z') },
  ids: { next: (prefix: string) => `${prefix}_${Math.random().toString(36).slice(2)}` },
};
await ensureBootstrapKey(services, { configuredKey: KEY, dataDir: '/nonexistent' });
const app = await build({ services, webRoot: '/nonexistent' });
const page = async (query: string) => {
  const answer = await app.inject({
    method: 'GET',
    url: `/v1/customers?${query}`,
    headers: { authorization: `Bearer ${KEY}` },
  });
  if (answer.statusCode !== 200) throw new Error(`${query}: ${answer.statusCode} ${answer.body}`);
  return answer.json() as { items: { name: string }[]; nextCursor: string | null };
};
try {
  // A cursor 200 pages in (10,000 customers), followed from the first page.
  let deep = '';
  for (let k = 0; k < 200; k++)
    deep = (await page(`limit=50&sort=name${deep ? `&cursor=${deep}` : ''}`)).nextCursor ?? '';
  const cases: [string, string][] = [
    ['first page by name', 'limit=50&sort=name'],
    ['first page by name, descending', 'limit=50&sort=-name'],
    ['page 201 by name', `limit=50&sort=name&cursor=${deep}`],
    ['found by part of the name, by name', 'limit=50&sort=name&search=Customer%204999'],
    [
      'one segment and sales owner, by external id descending',
      'limit=50&sort=-externalId&segment=mid&salesOwner=owner7',
    ],
    ['500 to a page, by name', 'limit=500&sort=name'],
  ];
  console.log(
    `\n${store.dialect}, ${count.toLocaleString('en')} customers\n| page | median of 9 | rows | target |\n| --- | --- | --- | --- |`,
  );
  const results: Record<string, number> = {};
  for (const [name, query] of cases) {
    const { seconds, result } = await timed(() => page(query), 9);
    results[name] = seconds;
    console.log(`| ${name} | ${(seconds * 1000).toFixed(1)} ms | ${result.items.length} | ≤ 300 ms |`);
  }
  console.log(
    JSON.stringify({ bench: 'customer-list', dialect: store.dialect, customers: count, seconds: results }),
  );
} finally {
  await app.close();
  await cleanup();
}
