import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact } from '../../src/app/collections/contacts.js';
import { openDispute, resolveDispute } from '../../src/app/collections/disputes.js';
import { runDunning } from '../../src/app/collections/dunning-run.js';
import { type Mailer, smtpMailer } from '../../src/app/collections/mailer.js';
import { listPromises, recordPromise } from '../../src/app/collections/promises.js';
import { worklist } from '../../src/app/collections/worklist.js';
import { previewOrder } from '../../src/app/credit/place-order.js';
import { updateCreditProfile } from '../../src/app/credit/update-profile.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import type { Services } from '../../src/app/services.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { startSmtpServer } from '../support/smtp.js';
import { DIALECTS, freshStore, scenarioServices, type TestStore } from '../support/stores.js';

/**
 * Two months of a small book under the default strategy, on a clock the test moves: every
 * reminder, letter, call, stop-supply, promise and dispute outcome is checked on its date, and
 * e-mails go through a real SMTP server.
 */
describe.each(DIALECTS)('collections over two months (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let today = '2026-01-01';
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let mailer: Mailer;
  const ids: Record<string, string> = {};
  const run = (on: string) => {
    today = on;
    return runDunning(services, 'collector', mailer, on as BusinessDate);
  };
  const actionsOf = async (runOn: string) =>
    (
      await services.store.db
        .selectFrom('dunning_steps as s')
        .innerJoin('invoices as i', 'i.id', 's.invoice_id')
        .select(['i.invoice_number', 's.taken', 's.superseded'])
        .where('s.run_on', '=', runOn)
        .execute()
    )
      .flatMap((s) => [
        ...s.taken.split(',').map((step) => `${s.invoice_number}:${step}:taken`),
        ...(s.superseded ? s.superseded.split(',') : []).map(
          (step) => `${s.invoice_number}:${step}:superseded`,
        ),
      ])
      .sort();

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = scenarioServices(t.store, () => today);
    smtp = await startSmtpServer();
    mailer = smtpMailer(smtp.url, 'Credit Control <credit@seller.example>');
    const customers = await createCustomers(
      services,
      'setup',
      ['A', 'B', 'C', 'D'].map((k) => ({
        externalId: `SC-${k}`,
        name: k === 'A' ? '杭州甲方贸易有限公司' : `Customer ${k} Ltd`,
        country: k === 'A' ? 'CN' : 'GB',
        currency: 'CNY',
        segment: 'mid' as const,
      })),
    );
    for (const c of customers) ids[c.externalId.slice(3)] = c.id;
    await addContact(services, 'setup', ids.A as string, {
      name: '王经理',
      email: 'a@buyer.example',
      language: 'zh-CN',
    });
    await addContact(services, 'setup', ids.B as string, {
      name: 'Bea',
      email: 'b@buyer.example',
      language: 'en',
    });
    await addContact(services, 'setup', ids.C as string, {
      name: 'Cal',
      email: 'c@buyer.example',
      language: 'en',
    });
    await addContact(services, 'setup', ids.D as string, {
      name: 'Dee',
      email: 'd@buyer.example',
      language: 'en',
    });
    await updateCreditProfile(services, 'setup', ids.C as string, { riskClass: 'D' });
    const invoice = (customer: string, number: string, dueDate: string, amountMinor: number) => ({
      customerId: ids[customer] as string,
      externalId: number,
      invoiceNumber: number,
      issueDate: '2026-01-01',
      dueDate,
      amountMinor,
      currency: 'CNY',
    });
    const created = await createInvoices(services, 'setup', [
      invoice('A', 'A1', '2026-01-31', 100_000),
      invoice('A', 'A2', '2026-02-04', 50_000),
      invoice('B', 'B1', '2026-01-31', 80_000),
      invoice('C', 'C1', '2026-01-31', 30_000),
      invoice('D', 'D1', '2026-01-31', 40_000),
    ]);
    for (const i of created) ids[i.invoiceNumber] = i.id;
  });
  afterAll(async () => {
    await smtp?.stop();
    await t?.dispose();
  });

  it('20 Jan: a dispute on D1 takes it out of dunning', async () => {
    today = '2026-01-20';
    const dispute = await openDispute(services, 'collector', ids.D1 as string, {
      amountMinor: 40_000,
      reason: 'quality',
      note: 'scratched panels',
      owner: 'quality-team',
      dueOn: '2026-02-20',
    });
    ids.dispute = dispute.id;
    await expect(
      openDispute(services, 'collector', ids.D1 as string, {
        amountMinor: 1,
        reason: 'price',
        note: 'more',
        owner: 'x',
        dueOn: '2026-02-20',
      }),
    ).rejects.toMatchObject({ code: 'exceeds_open_amount', field: 'amountMinor' });
  });

  it('26 Jan: pre-due reminders, by e-mail in each contact’s language; a second run sends nothing', async () => {
    const summary = await run('2026-01-26');
    expect(summary).toMatchObject({ stepsTaken: 3, pausedByDispute: 1, emailsSent: 3, emailsFailed: [] });
    expect(await actionsOf('2026-01-26')).toEqual([
      'A1:pre-due-reminder:taken',
      'B1:pre-due-reminder:taken',
      'C1:pre-due-reminder:taken',
    ]);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual([
      'a@buyer.example',
      'b@buyer.example',
      'c@buyer.example',
    ]);
    const letters = await services.store.db
      .selectFrom('dunning_letters')
      .selectAll()
      .where('run_on', '=', '2026-01-26')
      .execute();
    const toA = letters.find((l) => l.recipient === 'a@buyer.example');
    expect(toA?.subject).toBe('付款提醒 — 杭州甲方贸易有限公司');
    expect(toA?.body).toContain('A1  到期日 2026-01-31  CNY 1,000.00');
    // What the SMTP server received is the letter on record (same Message-ID).
    for (const letter of letters)
      expect(smtp.received.some((m) => m.raw.includes(`Message-ID: ${letter.message_id}`))).toBe(true);

    const again = await run('2026-01-26');
    expect(again).toMatchObject({ stepsTaken: 0, emailsSent: 0 });
    expect(smtp.received).toHaveLength(3);
  });

  it('1–3 Feb: a promise pauses B; A gets one e-mail for an overdue and an almost-due invoice', async () => {
    today = '2026-02-01';
    await recordPromise(services, 'collector', ids.B as string, {
      amountMinor: 80_000,
      currency: 'CNY',
      promisedOn: '2026-02-10',
      promisedBy: 'Bea (AP)',
    });
    const summary = await run('2026-02-03');
    expect(summary).toMatchObject({ pausedByPromise: 1, emailsSent: 2 });
    expect(await actionsOf('2026-02-03')).toEqual([
      'A1:first-reminder:taken',
      'A2:pre-due-reminder:taken',
      'C1:first-reminder:taken',
    ]);
    const toA = await services.store.db
      .selectFrom('dunning_letters')
      .selectAll()
      .where('run_on', '=', '2026-02-03')
      .where('customer_id', '=', ids.A as string)
      .execute();
    expect(toA).toHaveLength(1);
    expect(toA[0]?.subject).toBe('逾期账款通知 — 杭州甲方贸易有限公司');
    expect(toA[0]?.body).toContain('（逾期 3 天）');
  });

  it('14 Feb: B paid only part by the promised date: the promise breaks and dunning resumes', async () => {
    today = '2026-02-08';
    await recordPayments(services, 'bank', [
      {
        customerId: ids.B as string,
        externalId: 'PB1',
        paidOn: '2026-02-08',
        amountMinor: 30_000,
        currency: 'CNY',
      },
    ]);
    const early = await run('2026-02-12');
    // Still within the grace days; B1 crossed no step since the last run, so it is not even looked at.
    expect(early).toMatchObject({ promisesBroken: 0, pausedByPromise: 0 });
    // Within the grace days B is left alone; A2, 8 days past due, has its first reminder.
    expect(await actionsOf('2026-02-12')).toEqual(['A2:first-reminder:taken']);
    const summary = await run('2026-02-14');
    expect(summary).toMatchObject({ promisesBroken: 1, pausedByPromise: 0 });
    expect((await listPromises(services.store.db, { customerId: ids.B as string })).items).toEqual([
      expect.objectContaining({ status: 'broken', paidMinor: 30_000, settledOn: '2026-02-14' }),
    ]);
    // B1 is 14 days past due: the pre-due reminder was sent; the first reminder is due now.
    expect(await actionsOf('2026-02-14')).toEqual(['B1:first-reminder:taken']);
    const tasks = await services.store.db.selectFrom('collection_tasks').selectAll().execute();
    expect(tasks.map((k) => [k.customer_id, k.kind])).toEqual([[ids.B, 'broken_promise']]);
  });

  it('20 Feb: D’s dispute is found invalid; D1 returns to dunning', async () => {
    today = '2026-02-20';
    const resolved = await resolveDispute(
      services,
      { actor: 'quality-team', role: 'legal' },
      ids.dispute as string,
      {
        resolution: 'valid',
        note: 'photos show damage happened after delivery',
      },
    );
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'valid', settledMinor: 0, ageDays: 31 });
  });

  it('2 Mar (runs missed since 14 Feb): one e-mail each, letters, calls, supply stopped for the risky customer', async () => {
    const summary = await run('2026-03-02');
    expect(await actionsOf('2026-03-02')).toEqual([
      'A1:collector-call:taken',
      'A1:formal-letter:taken',
      'A1:second-reminder:taken',
      'A2:collector-call:taken',
      'A2:second-reminder:taken',
      'B1:collector-call:taken',
      'B1:formal-letter:taken',
      'B1:second-reminder:taken',
      'C1:collector-call:taken',
      'C1:formal-letter:taken',
      'C1:second-reminder:taken',
      'C1:stop-supply-risky:taken',
      'D1:collector-call:taken',
      'D1:first-reminder:superseded',
      'D1:formal-letter:taken',
      'D1:pre-due-reminder:superseded',
      'D1:second-reminder:taken',
    ]);
    expect(summary).toMatchObject({ emailsSent: 4, letters: 4, stopSupplySet: 1, tasksCreated: 4 });
    const toC = await services.store.db
      .selectFrom('dunning_letters')
      .selectAll()
      .where('run_on', '=', '2026-03-02')
      .where('customer_id', '=', ids.C as string)
      .where('channel', '=', 'email')
      .executeTakeFirstOrThrow();
    expect(toC.subject).toBe('Deliveries on hold — Customer C Ltd');
    // The order check honours the flag the dunning run set.
    const check = await previewOrder(services, {
      customerId: ids.C as string,
      externalId: 'X',
      amountMinor: 100,
      currency: 'CNY',
    });
    expect(check.decision.outcome).toBe('hold');
    expect(check.decision.reasons.map((r) => r.code)).toContain('stop_supply');
  });

  it('2 Mar: the worklist puts the largest expected recovery first, with contacts and promises', async () => {
    const list = await worklist(services.store.db, '2026-03-02' as BusinessDate);
    // A: 1,500.00 overdue, oldest 30 days → 500.00; B: 500.00 → 166.67; D: 400.00 → 133.33; C: 300.00 → 100.00.
    expect(list.items.map((i) => [i.customerName, i.expectedValueMinor])).toEqual([
      ['杭州甲方贸易有限公司', 50_000],
      ['Customer B Ltd', 16_667],
      ['Customer D Ltd', 13_333],
      ['Customer C Ltd', 10_000],
    ]);
    expect(list.items[1]?.tasks.map((k) => k.kind).sort()).toEqual(['broken_promise', 'call']);
    expect(list.items[0]?.contacts[0]).toMatchObject({ email: 'a@buyer.example', language: 'zh-CN' });
    expect(list.items[0]?.recentNotices[0]).toMatchObject({ runOn: '2026-03-02', sent: true });
  });

  it('2 Mar, afternoon: A is downgraded to class E; a second run that day adds only the risky stop-supply to A1 and says so', async () => {
    const afternoon = {
      ...services,
      clock: { ...services.clock, now: () => new Date('2026-03-02T15:00:00.000Z') },
    };
    await updateCreditProfile(afternoon, 'analyst', ids.A as string, { riskClass: 'E' });
    const mailsBefore = smtp.received.length;
    const summary = await runDunning(afternoon, 'collector', mailer, '2026-03-02' as BusinessDate);
    expect(summary).toMatchObject({ stepsTaken: 1, stopSupplySet: 1, emailsSent: 1 });
    expect((await actionsOf('2026-03-02')).filter((a) => a.startsWith('A1:'))).toEqual([
      'A1:collector-call:taken',
      'A1:formal-letter:taken',
      'A1:second-reminder:taken',
      'A1:stop-supply-risky:taken',
    ]);
    expect(smtp.received.slice(mailsBefore).map((m) => m.to[0])).toEqual(['a@buyer.example']);
    // The stop-supply notice lists the invoice that stopped supply, though no e-mail step was due.
    const notice = await services.store.db
      .selectFrom('dunning_letters')
      .selectAll()
      .where('run_on', '=', '2026-03-02')
      .where('customer_id', '=', ids.A as string)
      .where('created_at', '=', '2026-03-02T15:00:00.000Z')
      .executeTakeFirstOrThrow();
    expect(notice.subject).toBe('暂停供货通知 — 杭州甲方贸易有限公司');
    expect(notice.body).toContain('A1  到期日 2026-01-31');
    const third = await runDunning(afternoon, 'collector', mailer, '2026-03-02' as BusinessDate);
    expect(third).toMatchObject({ stepsTaken: 0, emailsSent: 0 });
  });
});
