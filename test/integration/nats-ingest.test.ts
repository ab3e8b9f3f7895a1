import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observations } from '../../src/app/observations.js';
import type { Services } from '../../src/app/services.js';
import { ingestStatus, replayDeadLetters } from '../../src/integration/ingest-admin.js';
import { natsNames, startNatsIngest } from '../../src/integration/nats-ingest.js';
import { startOutboxRelay } from '../../src/integration/outbox-relay.js';
import { openStore } from '../../src/store/db.js';
import { ledgerViolations } from '../../torture/book-invariants.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const NATS_URL = process.env.FULCRUM_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const quiet = { info: () => {}, error: () => {} };

async function until(check: () => Promise<boolean>, timeoutMs = 15_000, state?: () => Promise<unknown>) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${JSON.stringify(await state?.())}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Against the NATS server the machine runs (JetStream on 127.0.0.1:4222), under a prefix of its own.
describe.each(DIALECTS)('ERP events over NATS JetStream, and the book’s events out (%s)', (dialect) => {
  const n = natsNames(`t${randomBytes(4).toString('hex')}`);
  let t: TestStore;
  let services: Services;
  let client: NatsConnection;
  const publish = (kind: string, id: string, body: unknown) => {
    const h = headers();
    h.set('Nats-Msg-Id', id);
    return jetstream(client).publish(`${n.in}${kind}`, JSON.stringify(body), { headers: h });
  };
  const count = async (table: 'customers' | 'invoices' | 'payments' | 'orders') =>
    Number(
      (
        await t.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store);
    client = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(client);
    for (const stream of [n.inStream, n.outStream, n.dlqStream])
      await jsm.streams.delete(stream).catch(() => {});
    await client.drain();
    await t.dispose();
  });

  it('applies each event once however often it is delivered; a payment before its invoice is parked, then settles', async () => {
    const ingest = await startNatsIngest(services, NATS_URL, quiet, n);
    try {
      const customer = {
        externalId: 'N-C1',
        name: 'Nats Ltd',
        country: 'CN',
        currency: 'CNY',
        segment: 'mid',
      };
      await publish('customers', 'evt-c1', customer);
      // The payment arrives before the invoice it settles.
      await publish('payments', 'evt-p1', {
        externalId: 'N-P1',
        customerExternalId: 'N-C1',
        invoiceExternalId: 'N-I1',
        paidOn: '2026-03-10',
        amountMinor: 40_000,
        currency: 'CNY',
      });
      await publish('invoices', 'evt-i1', {
        externalId: 'N-I1',
        customerExternalId: 'N-C1',
        invoiceNumber: 'N-I1',
        issueDate: '2026-03-01',
        dueDate: '2026-03-31',
        amountMinor: 100_000,
        currency: 'CNY',
      });
      // The same id again is dropped by the stream; the same customer under another event id is a
      // conflicting event: dead-lettered as a duplicate, the book unchanged.
      await publish('customers', 'evt-c1', customer);
      await publish('customers', 'evt-c1-again', customer);
      await until(async () => (await count('payments')) === 1);
      const invoice = await t.store.db.selectFrom('invoices').selectAll().executeTakeFirstOrThrow();
      expect(invoice.open_minor).toBe(60_000);
      expect(await count('customers')).toBe(1);
      expect(await ledgerViolations(t.store)).toEqual([]);
      const applied = await t.store.db.selectFrom('ingested_events').select('id').orderBy('id').execute();
      expect(applied.map((a) => a.id)).toEqual(['evt-c1', 'evt-i1', 'evt-p1']);
      const jsm = await jetstreamManager(client);
      await until(async () => (await jsm.streams.info(n.dlqStream)).state.messages === 1);
      const duplicate = await jsm.streams.getMessage(n.dlqStream, { seq: 1 });
      expect(duplicate?.header.get('Fulcrum-Error-Code')).toBe('duplicate_external_id');
      expect(duplicate?.header.get('Fulcrum-Event-Id')).toBe('evt-c1-again');
    } finally {
      await ingest.stop();
    }
  });

  it('a redelivery after a restart changes nothing: the event id commits with its effect', async () => {
    const ingest = await startNatsIngest(services, NATS_URL, quiet, n);
    try {
      await publish('invoices', 'evt-i2', {
        externalId: 'N-I2',
        customerExternalId: 'N-C1',
        invoiceNumber: 'N-I2',
        issueDate: '2026-03-02',
        dueDate: '2026-04-01',
        amountMinor: 5_000,
        currency: 'CNY',
      });
      await until(async () => (await count('invoices')) === 2);
    } finally {
      await ingest.stop();
    }
    // Applied again directly, as a redelivery after a crash before the ack would be: nothing changes.
    const { applyOnce } = await import('../../src/integration/nats-ingest.js');
    expect(
      await applyOnce(services, 'evt-i2', `${n.in}invoices`, 'invoices', { externalId: 'N-I2-other' }),
    ).toBe(false);
    expect(await count('invoices')).toBe(2);
  });

  it('a bad event goes to the dead-letter stream with its reason and does not block the next', async () => {
    const ingest = await startNatsIngest(services, NATS_URL, quiet, n);
    try {
      await publish('invoices', 'evt-bad', {
        externalId: 'N-BAD',
        customerExternalId: 'N-C1',
        amountMinor: 'lots',
      });
      await publish('orders', 'evt-o1', {
        externalId: 'N-O1',
        customerExternalId: 'N-C1',
        amountMinor: 1_000,
        currency: 'CNY',
      });
      await until(async () => (await count('orders')) === 1);
      const jsm = await jetstreamManager(client);
      const letters = [];
      for (let seq = 1; seq <= (await jsm.streams.info(n.dlqStream)).state.last_seq; seq++)
        letters.push(await jsm.streams.getMessage(n.dlqStream, { seq }));
      const dead = letters.find((m) => m?.header.get('Fulcrum-Event-Id') === 'evt-bad');
      expect(dead?.subject).toBe(`${n.dlq}invoices`);
      expect(dead?.header.get('Fulcrum-Error-Code')).toBe('required');
      expect(dead?.header.get('Fulcrum-Error-Reason')).toMatch(/invoiceNumber/);
    } finally {
      await ingest.stop();
    }
  });

  it('reports its status, and replays a dead letter after the fix under its original event id', async () => {
    const ingest = await startNatsIngest(services, NATS_URL, quiet, n, {
      ackWaitSeconds: 60,
      deliveries: 3,
      firstDelayMs: 50,
    });
    try {
      const early = {
        externalId: 'N-P9',
        customerExternalId: 'N-C9',
        paidOn: '2026-03-10',
        amountMinor: 1_000,
        currency: 'CNY',
      };
      const deadBefore = (await ingestStatus(services, NATS_URL, n)).deadLetters;
      // A customer that never arrives in time: after its parked deliveries the payment is a dead letter.
      await publish('payments', 'evt-p9', { ...early, customerExternalId: 'N-NOBODY' });
      await publish('payments', 'evt-p10', { ...early, externalId: 'N-P10', customerExternalId: 'N-NOBODY' });
      await until(async () => (await ingestStatus(services, NATS_URL, n)).deadLetters === deadBefore + 2);
      const status = await ingestStatus(services, NATS_URL, n);
      expect(status).toMatchObject({ stream: n.inStream, pending: 0 });
      expect(status.applied).toBeGreaterThan(0);
      // The fix: the customer arrives. evt-p10 meanwhile counts as applied (as if applied by hand).
      await publish('customers', 'evt-c-nobody', {
        externalId: 'N-NOBODY',
        name: 'Late Ltd',
        country: 'CN',
        currency: 'CNY',
        segment: 'small',
      });
      await services.store.db
        .insertInto('ingested_events')
        .values({ id: 'evt-p10', subject: `${n.in}payments`, applied_at: 'by hand' })
        .execute();
      const before = await count('payments');
      expect(await replayDeadLetters(NATS_URL, n, 100)).toBe(deadBefore + 2);
      // evt-p9 now applies; evt-p10 changes nothing; the letters refused for good are dead again.
      const state = async () => ({
        payments: await count('payments'),
        before,
        ...(await ingestStatus(services, NATS_URL, n)),
      });
      await until(async () => (await count('payments')) === before + 1, 15_000, state);
      await until(
        async () => (await ingestStatus(services, NATS_URL, n)).deadLetters === deadBefore,
        15_000,
        state,
      );
    } finally {
      await ingest.stop();
    }
  }, 60_000);

  it('publishes the book’s audit events out, each once, with its sequence as the message id', async () => {
    const relay = await startOutboxRelay(services, client, quiet, n);
    try {
      const total = Number(
        (
          await t.store.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const jsm = await jetstreamManager(client);
      await until(async () => (await jsm.streams.info(n.outStream)).state.messages === total);
      const first = await jsm.streams.getMessage(n.outStream, { seq: 1 });
      expect(first?.subject).toBe(`${n.out}customer`);
      expect(first?.json<{ seq: number; action: string }>()).toMatchObject({
        seq: 1,
        action: 'customer.created',
      });
    } finally {
      await relay.stop();
    }
    // A relay started again publishes nothing twice: its cursor moved only after the stream's ack.
    const again = await startOutboxRelay(services, client, quiet, n);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await again.stop();
    const jsm = await jetstreamManager(client);
    const cursor = await t.store.db.selectFrom('outbox_cursor').select('seq').executeTakeFirstOrThrow();
    expect((await jsm.streams.info(n.outStream)).state.messages).toBe(Number(cursor.seq));
  });

  it('two instances share the consumer: a burst is split between them, each event applied once, a bad one dead-lettered alone', async () => {
    const other = openStore(t.store.location);
    // The second instance's ids end in B, to see which instance wrote each invoice.
    const base = testServices(other);
    const second: Services = { ...base, ids: { next: (prefix: string) => `${base.ids.next(prefix)}B` } };
    const before = await count('invoices');
    const letters = async () =>
      (await (await jetstreamManager(client)).streams.info(n.dlqStream)).state.messages;
    const lettersBefore = await letters();
    const readers = await Promise.all([
      startNatsIngest(services, NATS_URL, quiet, n),
      startNatsIngest(second, NATS_URL, quiet, n),
    ]);
    const EVENTS = 3_000;
    try {
      const published = [];
      for (let i = 0; i < EVENTS; i++) {
        const body = {
          externalId: `N-SPLIT-${i}`,
          customerExternalId: 'N-C1',
          invoiceNumber: `N-SPLIT-${i}`,
          issueDate: '2026-03-02',
          dueDate: '2026-04-01',
          // One poison event in the middle of the burst.
          amountMinor: i === 1_500 ? 'a lot' : 1_000 + i,
          currency: 'CNY',
        };
        published.push(publish('invoices', `evt-split-${i}`, body));
        // Every hundredth event is sent twice under a new message id but the same invoice: refused as a duplicate.
        if (i % 100 === 0) published.push(publish('invoices', `evt-split-again-${i}`, body));
      }
      await Promise.all(published);
      await until(async () => (await count('invoices')) === before + EVENTS - 1, 60_000);
      // 29 second sendings and the poison event twice.
      await until(async () => (await letters()) === lettersBefore + 31, 30_000, letters);
    } finally {
      for (const r of readers) await r.stop();
    }
    const rows = await t.store.db
      .selectFrom('invoices')
      .select(['id', 'external_id'])
      .where('external_id', 'like', 'N-SPLIT-%')
      .execute();
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(EVENTS - 1);
    const bySecond = rows.filter((r) => r.id.endsWith('B')).length;
    expect(bySecond).toBeGreaterThan(0);
    expect(bySecond).toBeLessThan(EVENTS - 1);
    expect(await ledgerViolations(t.store)).toEqual([]);
    await other.close();
  });

  it('reports the shared consumer’s backlog for the metrics while it runs', async () => {
    const ingest = await startNatsIngest(services, NATS_URL, quiet, n);
    try {
      const [lag] = (await once(observations, 'ingest.lag')) as [{ pending: number; inFlight: number }];
      expect(lag.pending).toBeGreaterThanOrEqual(0);
      expect(lag.inFlight).toBeGreaterThanOrEqual(0);
    } finally {
      await ingest.stop();
    }
  }, 20_000);
});
