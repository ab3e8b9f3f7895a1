/**
 * The customer list over 50,000 customers through the HTTP API (issue 18: ≤ 300 ms per page,
 * filtered and sorted): the first page by name either way, a page deep in the list (its cursor
 * followed from the first), found by part of a name, filtered by segment and sales owner, and by utilisation.
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
// Every customer a limit of 10,000.00 and exposure spread over 0–120 % of it (the utilisation filter).
const limits = rows.customers.map(([id]) => [
  `lim_${id}`,
  'customer',
  id,
  'permanent',
  1_000_000,
  'CNY',
  '2020-01-01',
  100,
  'active',
  '2026-01-01T00:00:00.000Z',
]);
const balances = rows.customers.map(([id], c) => [id, 'CNY', (c * 7919) % 1_200_000, 0, 0]);
const { store, cleanup } = await loadedStore([
  { table: 'customers', columns: CUSTOMER_COLUMNS, types: CUSTOMER_TYPES, rows: rows.customers },
  { table: 'credit_profiles', columns: PROFILE_COLUMNS, types: PROFILE_TYPES, rows: rows.profiles },
  {
    table: 'credit_limits',
    columns:
      'id, subject_type, subject_id, kind, amount_minor, currency, starts_on, released_percent, status, created_at',
    types: ['text', 'text', 'text', 'text', 'int8', 'text', 'text', 'int', 'text', 'text'],
    rows: limits,
  },
  {
    table: 'exposure_balances',
    columns: 'customer_id, currency, receivables_minor, open_orders_minor, shipped_minor',
    types: ['text', 'text', 'int8', 'int8', 'int8'],
    rows: balances,
  },
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
  // A write before each run: the shares of every limit in use are computed afresh (cold), as after
  // any payment or order; without one, paging reuses them.
  const afterAWrite = async (query: string) => {
    await store.db
      .updateTable('customers')
      .set({ updated_at: new Date().toISOString() })
      .where('id', '=', 'cus_0000000')
      .execute();
    return page(query);
  };
  const cases: [string, string, ((query: string) => Promise<{ items: unknown[] }>)?][] = [
    ['first page by name', 'limit=50&sort=name'],
    ['first page by name, descending', 'limit=50&sort=-name'],
    ['page 201 by name', `limit=50&sort=name&cursor=${deep}`],
    ['found by part of the name, by name', 'limit=50&sort=name&search=Customer%204999'],
    [
      'one segment and sales owner, by external id descending',
      'limit=50&sort=-externalId&segment=mid&salesOwner=owner7',
    ],
    ['500 to a page, by name', 'limit=500&sort=name'],
    ['over 90 % utilisation, by name', 'limit=50&sort=name&minUtilisation=0.9'],
    ["one sales owner's over 90 %, by name", 'limit=50&sort=name&salesOwner=owner7&minUtilisation=0.9'],
    ['over 90 % utilisation, right after a write', 'limit=50&sort=name&minUtilisation=0.9', afterAWrite],
    [
      "one sales owner's over 90 %, right after a write",
      'limit=50&sort=name&salesOwner=owner7&minUtilisation=0.9',
      afterAWrite,
    ],
  ];
  console.log(
    `\n${store.dialect}, ${count.toLocaleString('en')} customers\n| page | median of 9 | rows | target |\n| --- | --- | --- | --- |`,
  );
  const results: Record<string, number> = {};
  for (const [name, query, run = page] of cases) {
    const { seconds, result } = await timed(() => run(query), 9);
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
