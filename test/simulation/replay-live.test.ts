import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activePolicy, simulatePolicy } from '../../src/app/credit/policies.js';
import type { Services } from '../../src/app/services.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { freshStore, type TestStore, testServices } from '../support/stores.js';

describe('simulation = production', () => {
  let t: TestStore;
  let services: Services;
  beforeAll(async () => {
    t = await freshStore('sqlite');
    services = testServices(t.store, '2026-03-31' as BusinessDate);
    await seedDemoBook(services, { customers: 40, months: 12 });
  });
  afterAll(async () => t.dispose());

  it('the active policy replayed on the orders the live check decided gives every decision it gave', async () => {
    const { version } = await activePolicy(t.store.db);
    const replay = await simulatePolicy(services, version, {});
    expect(replay.ordersReplayed).toBeGreaterThan(20);
    expect(replay.ordersChanged).toBe(0);
  });
});
