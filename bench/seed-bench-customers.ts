/** Creates N customers with a large limit each in the configured store (for bench/credit-check.ts). */
import { createCustomers } from '../src/app/customers/create-customers.js';
import { openRuntime } from '../src/cli/runtime.js';

const count = Number(process.argv[2] ?? 200);
const { services } = await openRuntime();
const customers = await createCustomers(
  services,
  'bench',
  Array.from({ length: count }, (_, i) => ({
    externalId: `BENCH-C${i}`,
    name: `Bench ${i}`,
    country: 'CN',
    currency: 'CNY',
    segment: 'large',
  })),
);
const now = services.clock.now().toISOString();
await services.store.db
  .insertInto('credit_limits')
  .values(
    customers.map((c) => ({
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
      created_at: now,
    })),
  )
  .execute();
await services.store.db
  .updateTable('credit_profiles')
  .set({ trading_since: '2000-01-01', risk_class: 'A', rating_grade: 2 })
  .execute();
await services.store.close();
