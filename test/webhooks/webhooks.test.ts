import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import type { Services } from '../../src/app/services.js';
import { deliverDue, fanOut } from '../../src/app/webhooks/dispatcher.js';
import { signatureHeader, verifySignature } from '../../src/app/webhooks/signature.js';
import {
  createWebhook,
  listWebhooks,
  redeliver,
  setWebhookStatus,
  webhookDeliveries,
} from '../../src/app/webhooks/subscriptions.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { MAX_ATTEMPTS, retryDelaySeconds, subscribed } from '../../src/core/webhooks/retry.js';
import { DIALECTS, freshStore, sequentialIds, type TestStore } from '../support/stores.js';

describe('a delivery’s signature', () => {
  const at = new Date('2026-03-31T12:00:00Z');
  const header = signatureHeader('whsec_x', '{"seq":1}', at);

  it('verifies with the secret and the body as sent, within five minutes', () => {
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(header, '{"seq":1}', 'whsec_x', new Date(at.getTime() + 60_000))).toBe('valid');
  });

  it('refuses another body or secret, an old signature, and a malformed header', () => {
    expect(verifySignature(header, '{"seq":2}', 'whsec_x', at)).toBe('mismatch');
    expect(verifySignature(header, '{"seq":1}', 'whsec_y', at)).toBe('mismatch');
    expect(verifySignature(header, '{"seq":1}', 'whsec_x', new Date(at.getTime() + 301_000))).toBe('expired');
    expect(verifySignature('v1=abc', '{"seq":1}', 'whsec_x', at)).toBe('malformed');
  });
});

describe('retries', () => {
  it('back off from 10 s, doubling to two hours between tries, for about a day, then stop', () => {
    const delays = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, k) => retryDelaySeconds(k + 1, 0) as number);
    expect(delays.slice(0, 3)).toEqual([10, 20, 40]);
    expect(Math.max(...delays)).toBe(7_200);
    const hours = delays.reduce((s, d) => s + d, 0) / 3600;
    expect(hours).toBeGreaterThan(20);
    expect(hours).toBeLessThan(28);
    expect(retryDelaySeconds(MAX_ATTEMPTS, 0)).toBeNull();
    // Jitter only lengthens a wait, by a fifth at most.
    expect(retryDelaySeconds(3, 1)).toBe(48);
  });

  it('an event reaches the subscriptions that asked for its entity, its action, or everything', () => {
    const event = { entityType: 'limit_request', action: 'limit_request.approved' };
    expect(subscribed(['limit_request'], event)).toBe(true);
    expect(subscribed(['limit_request.approved'], event)).toBe(true);
    expect(subscribed(['*'], event)).toBe(true);
    expect(subscribed(['order', 'limit_request.rejected'], event)).toBe(false);
  });
});

describe.each(DIALECTS)('webhooks against a real receiver (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let server: Server;
  let url: string;
  let now = new Date('2026-03-31T12:00:00Z');
  let answers: number[] = [];
  const received: { body: string; verdict: string; eventId: string }[] = [];
  let secret = '';
  let customer = 0;
  const newCustomer = () =>
    createCustomers(services, 'analyst', [
      {
        externalId: `W-${++customer}`,
        name: `Hooked ${customer}`,
        country: 'CN',
        currency: 'CNY',
        segment: 'mid',
      },
    ]);
  const later = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = {
      store: t.store,
      clock: { now: () => now, today: () => now.toISOString().slice(0, 10) as BusinessDate },
      ids: sequentialIds(),
    };
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({
          body,
          verdict: verifySignature(String(request.headers['fulcrum-signature']), body, secret, now),
          eventId: String(request.headers['fulcrum-event-id']),
        });
        response.statusCode = answers.shift() ?? 200;
        response.end(response.statusCode === 200 ? 'ok' : 'down for maintenance');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    server.close();
    await t.dispose();
  });

  it('delivers what happens from the subscription on, signed; a failing receiver is tried again until it answers', async () => {
    await newCustomer(); // before the subscription: never delivered
    const hook = await createWebhook(services, 'admin', { url, kinds: ['customer'] });
    secret = hook.secret;
    expect(hook.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    await newCustomer();
    expect(await fanOut(services)).toBe(1);
    expect(await fanOut(services)).toBe(0);
    answers = [500, 503];
    expect(await deliverDue(services)).toBe(1); // 500
    expect(await deliverDue(services)).toBe(0); // not due yet
    later(13);
    expect(await deliverDue(services)).toBe(1); // 503
    later(25);
    expect(await deliverDue(services)).toBe(1); // 200
    const [delivery] = (await webhookDeliveries(services, hook.id)).items;
    expect(delivery).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
      lastResponse: 'ok',
    });
    expect(received).toHaveLength(3);
    expect(received.every((r) => r.verdict === 'valid')).toBe(true);
    const event = JSON.parse(received[2]?.body as string);
    expect(event).toMatchObject({
      entityType: 'customer',
      action: 'customer.created',
      after: { name: 'Hooked 2' },
    });
    expect(received[2]?.eventId).toBe(String(event.seq));
    // Redelivered by hand: the same event, the same id, once more.
    await redeliver(services, delivery?.id as string);
    expect(await deliverDue(services)).toBe(1);
    expect(received.at(-1)?.eventId).toBe(String(event.seq));
  });

  it('queues nothing for a write that did not commit', async () => {
    await fanOut(services);
    await expect(
      createCustomers(services, 'analyst', [
        { externalId: 'W-OK', name: 'Fine', country: 'CN', currency: 'CNY', segment: 'mid' },
        { externalId: 'W-BAD', name: 'Broken', country: 'XX', currency: 'CNY', segment: 'mid' },
      ]),
    ).rejects.toBeDefined();
    expect(await fanOut(services)).toBe(0);
  });

  it('disables a subscription after 50 failures in a row, and the audit log says why', async () => {
    const hook = await createWebhook(services, 'admin', { url, kinds: ['customer'] });
    secret = hook.secret;
    for (let k = 0; k < 50; k++) await newCustomer();
    await fanOut(services);
    answers = Array.from({ length: 200 }, () => 500);
    later(3_600);
    await deliverDue(services);
    const after = await t.store.db
      .selectFrom('webhook_subscriptions')
      .select(['status', 'disabled_reason'])
      .where('id', '=', hook.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('disabled');
    expect(after.disabled_reason).toMatch(/50 deliveries in a row failed/);
    const audit = await t.store.db
      .selectFrom('audit_events')
      .select('actor')
      .where('action', '=', 'webhook_subscription.disabled')
      .where('entity_id', '=', hook.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe('system:webhooks');
    answers = [];
  });

  it('a subscription made while nobody listened gets what happens from then on, not what passed meanwhile', async () => {
    for (const { id } of (await listWebhooks(services)).items)
      await setWebhookStatus(services, 'admin', id, 'disabled');
    await newCustomer(); // nobody listens
    const hook = await createWebhook(services, 'admin', { url, kinds: ['customer'] });
    await newCustomer();
    expect(await fanOut(services)).toBe(1);
    const [queued] = (await webhookDeliveries(services, hook.id)).items;
    expect(queued?.status).toBe('pending');
  });

  it('delivers to a subscriber taking batches up to its batch size a request, in event order, signed; a failed request counts once', async () => {
    for (const { id } of (await listWebhooks(services)).items)
      await setWebhookStatus(services, 'admin', id, 'disabled');
    const hook = await createWebhook(services, 'admin', { url, kinds: ['customer'], batchSize: 5 });
    secret = hook.secret;
    expect(hook.batchSize).toBe(5);
    for (let k = 0; k < 12; k++) await newCustomer();
    expect(await fanOut(services)).toBe(12);
    const before = received.length;
    answers = [500];
    later(60);
    expect(await deliverDue(services)).toBe(12);
    const requests = received.slice(before);
    // The first request failed: its five events wait for a retry, the other seven are delivered.
    expect(requests.map((r) => JSON.parse(r.body).events.length)).toEqual([5, 5, 2]);
    expect(requests.every((r) => r.verdict === 'valid')).toBe(true);
    const seqs = requests.flatMap((r) => JSON.parse(r.body).events.map((e: { seq: number }) => e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(requests[1]?.eventId).toBe(
      JSON.parse(requests[1]?.body ?? '')
        .events.map((e: { seq: number }) => e.seq)
        .join(','),
    );
    const log = (await webhookDeliveries(services, hook.id)).items;
    expect(log.filter((d) => d.status === 'delivered')).toHaveLength(7);
    expect(log.filter((d) => d.status === 'pending')).toHaveLength(5);
    const [row] = (await listWebhooks(services)).items.filter((w) => w.id === hook.id);
    expect(row?.failuresInARow).toBe(0); // the later successes ended the run
    answers = [503];
    later(15);
    expect(await deliverDue(services)).toBe(5);
    const [failing] = (await listWebhooks(services)).items.filter((w) => w.id === hook.id);
    expect(failing?.failuresInARow).toBe(1); // one request failed, carrying five events
    later(60);
    expect(await deliverDue(services)).toBe(5);
    expect(JSON.parse(received.at(-1)?.body ?? '').events).toHaveLength(5);
    await expect(
      createWebhook(services, 'admin', { url, kinds: ['customer'], batchSize: 101 }),
    ).rejects.toMatchObject({
      code: 'invalid_batch_size',
    });
  });
});
