/** Creates N customers with a large limit each in the configured store (for bench/credit-check.ts). */
import { createCustomers } from '../src/app/customers/create-customers.js';
import { openRuntime } from '../src/cli/runtime.js';
import { grantLimits } from '../test/support/limits.js';

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
await grantLimits(
  services.store.db,
  customers.map((c) => c.id),
  900_000_000_000,
);
await services.store.db
  .updateTable('credit_profiles')
  .set({ trading_since: '2000-01-01', risk_class: 'A', rating_grade: 2 })
  .execute();
await services.store.close();
