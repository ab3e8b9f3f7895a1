import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import type { Services } from '../../src/app/services.js';
import { natsNames, startNatsIngest } from '../../src/integration/nats-ingest.js';
import { ledgerViolations } from '../../torture/book-invariants.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const NATS_URL = process.env.FULCRUM_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const INSTANCE = fileURLToPath(new URL('../../bench/ingest-instance.ts', import.meta.url));
const EVENTS = 4_000;
const CUSTOMERS = 20;

describe.each(DIALECTS)('an ingesting instance killed mid-batch (%s)', (dialect) => {
  const prefix = `kill${randomBytes(4).toString('hex')}`;
  const n = natsNames(prefix);
  let t: TestStore;
  let services: Services;
  let client: NatsConnection;
  const count = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('invoices')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('external_id', 'like', 'K-%')
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store);
    client = await connect({ servers: NATS_URL });
    await createCustomers(
      services,
      'test',
      Array.from({ length: CUSTOMERS }, (_, k) => ({
        externalId: `KC-${k}`,
        name: `Killed ingest ${k}`,
        country: 'CN',
        currency: 'CNY',
        segment: 'mid' as const,
      })),
    );
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(client);
    for (const stream of [n.inStream, n.outStream, n.dlqStream])
      await jsm.streams.delete(stream).catch(() => {});
    await client.drain();
    await t.dispose();
  });

  it('leaves a book equal to a clean run once another instance has read the rest: counts and exposure', async () => {
    const child = fork(INSTANCE, [NATS_URL, prefix, JSON.stringify(t.store.location)], {
      execArgv: ['--import', 'tsx'],
      stdio: 'ignore',
      // What it holds when killed comes back to another instance after two seconds.
      env: { ...process.env, FULCRUM_NATS_ACK_WAIT_SECONDS: '2' },
    });
    await new Promise((resolve) => child.once('message', resolve));
    const js = jetstream(client);
    const expected = new Map<string, number>();
    const publish = async (from: number, to: number) => {
      const published = [];
      for (let i = from; i < to; i++) {
        const customer = `KC-${i % CUSTOMERS}`;
        const amountMinor = 1_000 + i;
        expected.set(customer, (expected.get(customer) ?? 0) + amountMinor);
        const body = {
          externalId: `K-${i}`,
          customerExternalId: customer,
          invoiceNumber: `K-${i}`,
          issueDate: '2026-03-02',
          dueDate: '2026-04-01',
          amountMinor,
          currency: 'CNY',
        };
        published.push(js.publish(`${n.in}invoices`, JSON.stringify(body), { msgID: `k-${i}` }));
      }
      await Promise.all(published);
    };
    // A first part, so the instance is killed once it has committed some batches and not all (the
    // rest is published after: a fast instance can never have read everything before the kill).
    await publish(0, EVENTS / 4);
    const deadline = Date.now() + 60_000;
    while ((await count()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    await publish(EVENTS / 4, EVENTS);
    const atKill = await count();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(EVENTS);

    // What the killed one held unacknowledged comes back after the ack wait, to a fresh instance.
    const survivor = await startNatsIngest(services, NATS_URL, { info: () => {}, error: () => {} }, n, {
      ackWaitSeconds: 2,
      deliveries: 12,
      firstDelayMs: 500,
    });
    try {
      const end = Date.now() + 90_000;
      while ((await count()) < EVENTS && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await survivor.stop();
    }
    expect(await count()).toBe(EVENTS);
    const balances = await t.store.db
      .selectFrom('exposure_balances')
      .innerJoin('customers', 'customers.id', 'exposure_balances.customer_id')
      .select(['customers.external_id', 'exposure_balances.receivables_minor'])
      .where('customers.external_id', 'like', 'KC-%')
      .execute();
    expect(new Map(balances.map((b) => [b.external_id, Number(b.receivables_minor)]))).toEqual(expected);
    const applied = await t.store.db
      .selectFrom('ingested_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(applied.n)).toBe(EVENTS);
    expect(await ledgerViolations(t.store)).toEqual([]);
  }, 180_000);
});
