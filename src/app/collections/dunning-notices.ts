import type { Selectable } from 'kysely';
import type { NoticeItem, NoticeKind, NoticeLanguage } from '../../core/collections/notices.js';
import { renderNotice } from '../../core/collections/notices.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import type { AuditEntry } from '../../store/audit.js';
import type { CollectionTaskTable, DunningLetterTable } from '../../store/schema.js';
import { chunkOf, type Executor, insertChunked } from '../../store/write.js';
import type { Services } from '../services.js';
import type { Mailer } from './mailer.js';

/** What one run decided for one customer: the input of its e-mail, letter, tasks and flag. */
export interface CustomerSteps {
  readonly customerId: string;
  /** One e-mail per customer and run, listing every item an e-mail step was taken for. */
  readonly emailItems: NoticeItem[];
  /** Every item a step was taken for: what a stop-supply notice lists. */
  readonly stepItems: NoticeItem[];
  readonly letters: NoticeItem[];
  readonly tasks: Set<'call' | 'agency' | 'legal'>;
  stopSupply: boolean;
}

export interface OutboxMail {
  readonly letterId: string;
  readonly customerId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Renders and records the customers' e-mails and letters, sets stop-supply flags, opens tasks. */
export async function writeCustomerSteps(
  trx: Executor,
  services: Services,
  now: string,
  runOn: BusinessDate,
  perCustomer: Map<string, CustomerSteps>,
  risk: Map<string, { stop_supply: number }>,
  brokenPromises: readonly { id: string; customer_id: string; amount_minor: number; currency: string }[],
) {
  const customerIds = [...new Set([...perCustomer.keys(), ...brokenPromises.map((p) => p.customer_id)])];
  const names = new Map<string, string>();
  const contacts = new Map<string, { email: string | null; language: string }>();
  for (const chunk of chunkOf(customerIds, 5_000)) {
    for (const c of await trx
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('id', 'in', chunk)
      .execute())
      names.set(c.id, c.name);
    const rows = await trx
      .selectFrom('contacts')
      .select(['customer_id', 'email', 'language'])
      .where('customer_id', 'in', chunk)
      .orderBy('id')
      .execute();
    for (const r of rows)
      if (!contacts.has(r.customer_id) || (!contacts.get(r.customer_id)?.email && r.email))
        contacts.set(r.customer_id, r);
  }
  const letters: Selectable<DunningLetterTable>[] = [];
  const tasks: Selectable<CollectionTaskTable>[] = [];
  const audit: AuditEntry[] = [];
  const outbox: OutboxMail[] = [];
  const stopped: string[] = [];
  let withoutRecipient = 0;
  const task = (customerId: string, kind: string, reason: string) =>
    tasks.push({
      id: services.ids.next('tsk'),
      customer_id: customerId,
      kind,
      due_on: runOn,
      reason,
      status: 'open',
      created_at: now,
      done_by: null,
      done_note: null,
      done_outcome: null,
    });
  for (const steps of perCustomer.values()) {
    const customerId = steps.customerId;
    const contact = contacts.get(customerId);
    const language = (contact?.language ?? 'en') as NoticeLanguage;
    const name = names.get(customerId) ?? customerId;
    // The most pressing notice wins: stop supply, else overdue, else a reminder before the due date.
    const stops = steps.stopSupply && risk.get(customerId)?.stop_supply !== 1;
    if (stops) stopped.push(customerId);
    const kind: NoticeKind = stops
      ? 'stop_supply'
      : steps.emailItems.some((i) => i.daysPastDue > 0)
        ? 'overdue'
        : 'reminder';
    const mails = [
      { kind, items: stops && steps.emailItems.length === 0 ? steps.stepItems : steps.emailItems },
    ];
    for (const mail of mails) {
      if (mail.items.length === 0) continue;
      const notice = renderNotice(language, mail.kind, name, runOn, mail.items);
      const id = services.ids.next('ltr');
      letters.push({
        id,
        customer_id: customerId,
        run_on: runOn,
        channel: 'email',
        language,
        recipient: contact?.email ?? null,
        subject: notice.subject,
        body: notice.body,
        message_id: null,
        created_at: now,
      });
      if (contact?.email)
        outbox.push({
          letterId: id,
          customerId,
          to: contact.email,
          subject: notice.subject,
          text: notice.body,
        });
      else withoutRecipient += 1;
    }
    if (steps.letters.length > 0) {
      const notice = renderNotice(language, 'letter', name, runOn, steps.letters);
      letters.push({
        id: services.ids.next('ltr'),
        customer_id: customerId,
        run_on: runOn,
        channel: 'letter',
        language,
        recipient: null,
        subject: notice.subject,
        body: notice.body,
        message_id: null,
        created_at: now,
      });
    }
    for (const kind of steps.tasks) task(customerId, kind, `dunning step reached on ${runOn}`);
    audit.push({
      action: 'dunning.steps_taken',
      entityType: 'customer',
      entityId: customerId,
      before: null,
      after: {
        runOn,
        emails: mails.map((m) => ({ kind: m.kind, invoices: m.items.map((i) => i.invoiceNumber) })),
        letterInvoices: steps.letters.map((i) => i.invoiceNumber),
        tasks: [...steps.tasks],
        stopSupply: stops,
      },
    });
  }
  for (const p of brokenPromises)
    task(p.customer_id, 'broken_promise', `promise ${p.id} to pay ${p.amount_minor} ${p.currency} broken`);
  await insertChunked(trx, 'dunning_letters', letters);
  await insertChunked(trx, 'collection_tasks', tasks);
  for (const chunk of chunkOf(stopped, 5_000))
    await trx
      .updateTable('credit_profiles')
      .set({ stop_supply: 1, updated_at: now })
      .where('customer_id', 'in', chunk)
      .execute();
  for (const customerId of stopped)
    audit.push({
      action: 'credit_profile.stop_supply_set',
      entityType: 'credit_profile',
      entityId: customerId,
      before: { stopSupply: false },
      after: { stopSupply: true, reason: `dunning run ${runOn}` },
    });
  return {
    audit,
    outbox,
    withoutRecipient,
    counts: {
      letters: letters.filter((l) => l.channel === 'letter').length,
      tasks: tasks.length,
      stopSupply: stopped.length,
    },
  };
}

/** Sends the committed e-mails; a failure is reported and leaves the letter without a message id. */
export async function sendOutbox(services: Services, mailer: Mailer | null, outbox: readonly OutboxMail[]) {
  let sent = 0;
  const failed: { customerId: string; error: string }[] = [];
  if (!mailer) return { sent, failed };
  for (const mail of outbox) {
    try {
      const messageId = await mailer.send(mail);
      await services.store.db
        .updateTable('dunning_letters')
        .set({ message_id: messageId })
        .where('id', '=', mail.letterId)
        .execute();
      sent += 1;
    } catch (error) {
      failed.push({ customerId: mail.customerId, error: (error as Error).message });
    }
  }
  return { sent, failed };
}

/** The e-mails and letters dunning wrote, newest first: what was sent to whom, as sent. */
export async function listLetters(executor: Executor, filter: { customerId?: string; runOn?: string }) {
  let query = executor
    .selectFrom('dunning_letters')
    .selectAll()
    .orderBy('run_on', 'desc')
    .orderBy('id')
    .limit(500);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.runOn) query = query.where('run_on', '=', filter.runOn);
  return (await query.execute()).map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    runOn: r.run_on,
    channel: r.channel,
    language: r.language,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    messageId: r.message_id,
    createdAt: r.created_at,
  }));
}
