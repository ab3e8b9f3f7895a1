import SQLite from 'better-sqlite3';

const times = new Map<string, { n: number; ms: number }>();
const proto = (SQLite as any).prototype;
const origPrepare = proto.prepare;
proto.prepare = function (sql: string) {
  const st = origPrepare.call(this, sql);
  for (const m of ['run', 'all', 'get', 'iterate']) {
    const f = st[m].bind(st);
    st[m] = (...a: unknown[]) => {
      const t = performance.now();
      try {
        return f(...a);
      } finally {
        const e = times.get(sql) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += performance.now() - t;
        times.set(sql, e);
      }
    };
  }
  return st;
};
const { openStore } = await import('/work/main/src/store/db.ts');
const { migrateToLatest: migrate } = await import('/work/main/src/store/migrate.ts');
const { testServices } = await import('/work/main/test/support/stores.ts');
const { createCustomers } = await import('/work/main/src/app/customers/create-customers.ts');
const { placeOrder } = await import('/work/main/src/app/credit/place-order.ts');
const { rmSync } = await import('node:fs');
rmSync('/tmp/prof/sq', { recursive: true, force: true });
const store = openStore({ dialect: 'sqlite', file: '/tmp/prof/sq/db.sqlite' });
await migrate(store);
const services = testServices(store);
const customers = await createCustomers(
  services,
  'bench',
  Array.from({ length: 200 }, (_, i) => ({
    externalId: `C${i}`,
    name: `C ${i}`,
    country: 'CN',
    currency: 'CNY',
    segment: 'large',
  })),
);
await store.db
  .insertInto('credit_limits')
  .values(
    customers.map(
      (c) =>
        ({
          id: `lim_${c.id}`,
          subject_type: 'customer',
          subject_id: c.id,
          kind: 'permanent',
          amount_minor: 900_000_000_000,
          currency: 'CNY',
          starts_on: '2000-01-01',
          expires_on: null,
          tiers_json: null,
          released_percent: 100,
          status: 'active',
          request_id: null,
          created_at: '2026-01-01T00:00:00Z',
        }) as any,
    ),
  )
  .execute()
  .catch((e) => console.log('limit insert', e.message));
await store.db
  .updateTable('credit_profiles')
  .set({ trading_since: '2000-01-01', risk_class: 'A', rating_grade: 2 } as any)
  .execute();
times.clear();
const t0 = performance.now();
let k = 0;
for (let round = 0; round < 200; round++) {
  await Promise.all(
    Array.from({ length: 50 }, () => {
      k++;
      return placeOrder(services, 'bench', {
        customerId: customers[k % 200]!.id,
        externalId: `O${k}`,
        amountMinor: 10000,
        currency: 'CNY',
      });
    }),
  );
}
const total = performance.now() - t0;
console.log('orders', k, 'ms', total.toFixed(0), 'per order us', ((total / k) * 1000).toFixed(1));
let sqlms = 0;
for (const [, v] of times) sqlms += v.ms;
console.log('sql ms', sqlms.toFixed(0));
for (const [sql, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
  console.log(v.ms.toFixed(0).padStart(6), String(v.n).padStart(6), sql.slice(0, 150).replace(/\s+/g, ' '));
