import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/app/collections/mailer.js';
import { sendArrivalNotices, sendDailyDigests } from '../../src/app/notifications/digests.js';
import { type TestApi, testApi } from '../support/api.js';
import { startSmtpServer } from '../support/smtp.js';
import { DIALECTS } from '../support/stores.js';

const PASSWORD = 'a long enough password';

describe.each(DIALECTS)('notification e-mail and the daily digest (%s)', (dialect) => {
  let api: TestApi;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const tokens: Record<string, string> = {};
  const call = (who: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    api.app.inject({ method, url, payload, headers: { authorization: `Bearer ${tokens[who]}` } });

  beforeAll(async () => {
    api = await testApi(dialect);
    smtp = await startSmtpServer();
    for (const [username, displayName, role] of [
      ['li.na', '李娜', 'credit_manager'],
      ['chen.jie', 'Chen Jie', 'credit_analyst'],
      ['wu.fei', 'Wu Fei', 'auditor'],
    ] as const) {
      const made = await api.call({
        method: 'POST',
        url: '/v1/users',
        payload: { username, displayName, role, password: PASSWORD },
      });
      expect(made.statusCode, made.body).toBe(201);
      const session = await api.app.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { username, password: PASSWORD },
      });
      tokens[username] = session.json().token;
    }
    const customer = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'DG-1',
          name: 'Digest Trading',
          country: 'CN',
          currency: 'CNY',
          segment: 'mid',
        },
      })
    ).json();
    // The analyst asks for a limit: the manager has one request to decide.
    const request = await call('chen.jie', 'POST', '/v1/limit-requests', {
      subjectType: 'customer',
      subjectId: customer.id,
      kind: 'permanent',
      amountMinor: 1_000_000,
      currency: 'CNY',
      reason: 'first limit',
    });
    expect(request.statusCode, request.body).toBe(201);
  });
  afterAll(async () => {
    await smtp.stop();
    await api.dispose();
  });

  it('keeps each person’s address, language and digest choice, refusing what cannot work', async () => {
    expect((await call('li.na', 'GET', '/v1/me/notification-settings')).json()).toEqual({
      email: null,
      language: 'en',
      dailyDigest: false,
      immediate: false,
    });
    const noAddress = await call('li.na', 'PUT', '/v1/me/notification-settings', { dailyDigest: true });
    expect(noAddress.json().error).toMatchObject({ code: 'invalid_setting', field: 'email' });
    const bad = await call('li.na', 'PUT', '/v1/me/notification-settings', { email: 'li.na at example' });
    expect(bad.json().error).toMatchObject({ code: 'invalid_email', field: 'email' });
    const set = await call('li.na', 'PUT', '/v1/me/notification-settings', {
      email: 'li.na@example.com',
      language: 'zh-CN',
      dailyDigest: true,
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({
      email: 'li.na@example.com',
      language: 'zh-CN',
      dailyDigest: true,
      immediate: false,
    });
    const noAddressNow = await call('chen.jie', 'PUT', '/v1/me/notification-settings', { immediate: true });
    expect(noAddressNow.json().error).toMatchObject({ code: 'invalid_setting', field: 'email' });
    const auditor = await call('wu.fei', 'PUT', '/v1/me/notification-settings', {
      email: 'wu.fei@example.com',
      dailyDigest: true,
    });
    expect(auditor.statusCode, auditor.body).toBe(200);
    // An API key is a system, not a person.
    const key = await api.call({ method: 'GET', url: '/v1/me/notification-settings' });
    expect(key.json().error.code).toBe('not_a_person');
    const audited = await api.services.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'notification_settings.changed')
      .execute();
    expect(audited).toHaveLength(2);
  });

  it('mails each person who asked what waits for them, once a day, with links; nothing when nothing waits', async () => {
    const mailer = smtpMailer(smtp.url, 'Credit Control <credit@fulcrum.local>');
    const first = await sendDailyDigests(api.services, mailer, 'https://credit.example.com/');
    // The manager has a request to decide; the auditor (nothing to act on) gets no mail.
    expect(first).toEqual({ sent: 1, nothingWaiting: 1, failed: [] });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail?.to).toEqual(['li.na@example.com']);
    const body = decodeBody(mail?.raw ?? '');
    expect(body).toContain('李娜，早上好');
    expect(body).toContain('1 笔额度申请待您审批');
    expect(body).toContain('https://credit.example.com/#/approvals');
    expect(await sendDailyDigests(api.services, mailer, 'https://credit.example.com/')).toEqual({
      sent: 0,
      nothingWaiting: 1,
      failed: [],
    });
    expect(smtp.received).toHaveLength(1);
  });

  it('mails as things arrive only what is new since the last such e-mail, to those who asked', async () => {
    const mailer = smtpMailer(smtp.url, 'Credit Control <credit@fulcrum.local>');
    const clock = api.services.clock as { now: () => Date };
    const standing = clock.now;
    const at = (time: string) => {
      clock.now = () => new Date(`2026-03-31T${time}:00.000Z`);
    };
    try {
      at('12:00');
      const on = await call('li.na', 'PUT', '/v1/me/notification-settings', { immediate: true });
      expect(on.json()).toMatchObject({ immediate: true, dailyDigest: true });
      const before = smtp.received.length;
      // What already waited when she switched it on is the digest's and the bell's, not news.
      expect(await sendArrivalNotices(api.services, mailer, 'https://credit.example.com/')).toMatchObject({
        sent: 0,
      });
      at('12:05');
      const customer = (await api.call({ method: 'GET', url: '/v1/customers?limit=1' })).json().items[0];
      const asked = await call('chen.jie', 'POST', '/v1/limit-requests', {
        subjectType: 'customer',
        subjectId: customer.id,
        kind: 'temporary',
        amountMinor: 2_000_000,
        currency: 'CNY',
        expiresOn: '2026-06-30',
        reason: 'season',
      });
      expect(asked.statusCode, asked.body).toBe(201);
      at('12:06');
      expect(await sendArrivalNotices(api.services, mailer, 'https://credit.example.com/')).toEqual({
        sent: 1,
        nothingWaiting: 0,
        failed: [],
      });
      expect(smtp.received).toHaveLength(before + 1);
      const mail = smtp.received.at(-1);
      expect(mail?.to).toEqual(['li.na@example.com']);
      const body = decodeBody(mail?.raw ?? '');
      expect(body).toContain('李娜，您好');
      expect(body).toContain('2 笔额度申请待您审批 （新增 1）');
      expect(body).toContain('https://credit.example.com/#/approvals');
      // Said once: the next minute has nothing new.
      at('12:07');
      expect(await sendArrivalNotices(api.services, mailer, 'https://credit.example.com/')).toMatchObject({
        sent: 0,
      });
      expect(smtp.received).toHaveLength(before + 1);
    } finally {
      clock.now = standing;
    }
  });
});

/** The text part of a received message, its quoted-printable or base64 undone. */
function decodeBody(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body, 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head))
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}
