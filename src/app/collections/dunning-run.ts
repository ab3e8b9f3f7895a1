import type { Selectable } from 'kysely';
import { type DunningStep, stepsDue } from '../../core/collections/dunning-strategy.js';
import {
  type NoticeItem,
  type NoticeKind,
  type NoticeLanguage,
  renderNotice,
} from '../../core/collections/notices.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import type { RiskClass } from '../../core/rating/risk-class.js';
import { addDays, type BusinessDate, daysBetween } from '../../core/time/business-date.js';
import { type AuditEntry, appendAudit, lockAuditHead } from '../../store/audit.js';
import type { CollectionTaskTable, DunningActionTable, DunningLetterTable } from '../../store/schema.js';
import { type Executor, insertChunked } from '../../store/write.js';
import type { Actor, Progress, Services } from '../services.js';
import type { Mailer } from './mailer.js';
import { invoicesInActivePlans, judgePaymentPlans } from './payment-plans.js';
import { judgePromises } from './promises.js';
import { currentStrategy } from './strategy.js';

interface OpenItem {
  readonly id: string;
  readonly customer_id: string;
  readonly invoice_number: string;
  readonly due_date: string;
  readonly open_minor: number;
  readonly currency: string;
}

const TASK_OF = { call_task: 'call', agency: 'agency', legal: 'legal' } as const;

interface CustomerSteps {
  readonly customerId: string;
  /** One e-mail per customer and run, listing every item an e-mail step was taken for. */
  readonly emailItems: NoticeItem[];
  /** Every item a step was taken for: what a stop-supply notice lists. */
  readonly stepItems: NoticeItem[];
  readonly letters: NoticeItem[];
  readonly tasks: Set<'call' | 'agency' | 'legal'>;
  stopSupply: boolean;
}

export interface DunningRunSummary {
  readonly runOn: BusinessDate;
  readonly strategyVersion: number;
  readonly invoicesConsidered: number;
  readonly stepsTaken: number;
  readonly stepsSuperseded: number;
  readonly pausedByDispute: number;
  readonly pausedByPromise: number;
  readonly pausedByPlan: number;
  readonly plansBroken: number;
  readonly plansCompleted: number;
  readonly emailsSent: number;
  readonly emailsWithoutRecipient: number;
  readonly emailsFailed: { customerId: string; error: string }[];
  readonly letters: number;
  readonly tasksCreated: number;
  readonly stopSupplySet: number;
  readonly promisesKept: number;
  readonly promisesBroken: number;
}

const MAX_CHANGED_CUSTOMERS = 5_000;

/**
 * Customers whose invoices may have reached steps without crossing a threshold since `since`: a
 * dispute resolved, a promise settled or a payment plan ended (their pause ended) or a credit
 * profile changed (class).
 */
async function customersChangedSince(
  trx: Executor,
  since: BusinessDate,
  lastRunAt: string,
): Promise<string[]> {
  const changed = [
    trx.selectFrom('disputes').select('customer_id').where('resolved_on', '>=', since),
    trx.selectFrom('payment_promises').select('customer_id').where('settled_on', '>=', since),
    trx.selectFrom('payment_plans').select('customer_id').where('ended_on', '>=', since),
    // After the last run's own writes (its stop-supply flags carry its timestamp).
    trx.selectFrom('credit_profiles').select('customer_id').where('updated_at', '>', lastRunAt),
  ];
  const ids = new Set<string>();
  for (const query of changed) for (const r of await query.execute()) ids.add(r.customer_id);
  return [...ids];
}

async function doneSteps(
  trx: Executor,
  items: readonly OpenItem[],
  incremental: boolean,
): Promise<Map<string, Set<string>>> {
  const done = new Map<string, Set<string>>();
  // Concatenated, never spread: a full pass reads millions of rows.
  let rows: { invoice_id: string; step_id: string }[] = [];
  if (incremental) {
    for (let start = 0; start < items.length; start += 5_000) {
      const chunk = items.slice(start, start + 5_000).map((i) => i.id);
      rows = rows.concat(
        await trx
          .selectFrom('dunning_actions')
          .select(['invoice_id', 'step_id'])
          .where('invoice_id', 'in', chunk)
          .execute(),
      );
    }
  } else {
    rows = await trx
      .selectFrom('dunning_actions as a')
      .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
      .select(['a.invoice_id', 'a.step_id'])
      .where('i.open_minor', '>', 0)
      .execute();
  }
  const wanted = new Set(items.map((i) => i.id));
  for (const r of rows) {
    if (!wanted.has(r.invoice_id)) continue;
    let steps = done.get(r.invoice_id);
    if (!steps) {
      steps = new Set();
      done.set(r.invoice_id, steps);
    }
    steps.add(r.step_id);
  }
  return done;
}

/**
 * The day's dunning run (E2): judges promises, then takes every strategy step each open invoice
 * has reached and not yet had — except on invoices in open dispute and for customers with an open
 * promise to pay. All of it is written in one transaction first, keyed by (invoice, step), so a
 * second run on the same day finds nothing left to do and sends nothing twice; e-mails go out
 * after the commit, one per customer listing all its items, in the contact's language.
 */
export async function runDunning(
  services: Services,
  actor: Actor,
  mailer: Mailer | null,
  runOn: BusinessDate = services.clock.today(),
  onProgress?: Progress,
): Promise<DunningRunSummary> {
  const now = services.clock.now().toISOString();
  const written = await services.store.db.transaction().execute(async (trx) => {
    // One run at a time, and after every other writer: the run reads and writes under this lock.
    await lockAuditHead(trx);
    const { version, strategy } = await currentStrategy(trx);
    const promises = await judgePromises(trx, runOn, strategy.promiseGraceDays);
    const plans = await judgePaymentPlans(trx, runOn, now);
    const earliest = Math.min(...strategy.steps.map((s) => s.daysPastDue));
    const last = await trx
      .selectFrom('dunning_runs')
      .select(['run_on', 'strategy_version', 'created_at'])
      .orderBy('run_on', 'desc')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const since =
      last && last.strategy_version === version && last.run_on <= runOn
        ? (last.run_on as BusinessDate)
        : null;
    const changedSince = since && last ? await customersChangedSince(trx, since, last.created_at) : [];
    // Beyond a few thousand changed customers a full pass is as cheap, and keeps the query small.
    const full = since === null || changedSince.length > MAX_CHANGED_CUSTOMERS;
    const changed = full ? [] : changedSince;
    const items: OpenItem[] = await trx
      .selectFrom('invoices')
      .select(['id', 'customer_id', 'invoice_number', 'due_date', 'open_minor', 'currency'])
      .where('open_minor', '>', 0)
      .where('due_date', '<=', addDays(runOn, -earliest))
      .where('issue_date', '<=', runOn)
      .$if(!full, (q) =>
        q.where((eb) =>
          eb.or([
            // Invoices whose days past due crossed a step since the last run…
            ...[...new Set(strategy.steps.map((s) => s.daysPastDue))].map((d) =>
              eb.and([
                eb('due_date', '>', addDays(since as BusinessDate, -d)),
                eb('due_date', '<=', addDays(runOn, -d)),
              ]),
            ),
            // …invoices issued since, and every invoice of a customer whose pause or class changed.
            eb('issue_date', '>=', since as BusinessDate),
            ...(changed.length > 0 ? [eb('customer_id', 'in', changed)] : []),
          ]),
        ),
      )
      .orderBy('customer_id')
      .orderBy('due_date')
      .execute();
    const done = await doneSteps(trx, items, !full);
    const risk = new Map(
      (
        await trx.selectFrom('credit_profiles').select(['customer_id', 'risk_class', 'stop_supply']).execute()
      ).map((p) => [p.customer_id, p]),
    );
    const disputed = new Set(
      (await trx.selectFrom('disputes').select('invoice_id').where('status', '=', 'open').execute()).map(
        (d) => d.invoice_id,
      ),
    );
    const inPlan = await invoicesInActivePlans(trx);
    const promised = new Set(
      (
        await trx.selectFrom('payment_promises').select('customer_id').where('status', '=', 'open').execute()
      ).map((p) => p.customer_id),
    );

    const actions: Selectable<DunningActionTable>[] = [];
    const perCustomer = new Map<string, CustomerSteps>();
    let pausedByDispute = 0;
    let pausedByPromise = 0;
    let pausedByPlan = 0;
    for (const [n, item] of items.entries()) {
      if (n % 10_000 === 0) onProgress?.(n, items.length);
      if (disputed.has(item.id)) {
        pausedByDispute += 1;
        continue;
      }
      if (promised.has(item.customer_id)) {
        pausedByPromise += 1;
        continue;
      }
      if (inPlan.has(item.id)) {
        pausedByPlan += 1;
        continue;
      }
      const daysPastDue = daysBetween(item.due_date as BusinessDate, runOn);
      const riskClass = (risk.get(item.customer_id)?.risk_class ?? 'C') as RiskClass;
      const due = stepsDue(
        strategy,
        { daysPastDue, riskClass, openMinor: item.open_minor },
        done.get(item.id) ?? new Set(),
      );
      if (due.take.length === 0 && due.superseded.length === 0) continue;
      const record = (step: DunningStep, outcome: string) =>
        actions.push({
          id: services.ids.next('dun'),
          run_on: runOn,
          customer_id: item.customer_id,
          invoice_id: item.id,
          step_id: step.id,
          action: step.action,
          strategy_version: version,
          days_past_due: daysPastDue,
          open_minor: item.open_minor,
          currency: item.currency,
          message_id: null,
          outcome,
          created_at: now,
        });
      for (const step of due.superseded) record(step, 'superseded');
      let steps = perCustomer.get(item.customer_id);
      if (!steps) {
        steps = {
          customerId: item.customer_id,
          emailItems: [],
          stepItems: [],
          letters: [],
          tasks: new Set(),
          stopSupply: false,
        };
        perCustomer.set(item.customer_id, steps);
      }
      const notice: NoticeItem = {
        invoiceNumber: item.invoice_number,
        dueDate: item.due_date as BusinessDate,
        openMinor: item.open_minor,
        currency: item.currency as CurrencyCode,
        daysPastDue,
      };
      if (due.take.length > 0) steps.stepItems.push(notice);
      for (const step of due.take) {
        record(step, 'taken');
        if (step.action === 'email') steps.emailItems.push(notice);
        else if (step.action === 'letter') steps.letters.push(notice);
        else if (step.action === 'stop_supply') steps.stopSupply = true;
        else steps.tasks.add(TASK_OF[step.action]);
      }
    }
    onProgress?.(items.length, items.length);
    await insertChunked(trx, 'dunning_actions', actions);
    const outcome = await writeCustomerSteps(trx, services, now, runOn, perCustomer, risk, promises.broken);
    // A broken plan is a broken promise to pay: the same alert for the collector.
    await insertChunked(
      trx,
      'collection_tasks',
      plans.broken.map((b) => ({
        id: services.ids.next('tsk'),
        customer_id: b.customerId,
        kind: 'broken_promise',
        due_on: runOn,
        reason: `payment plan ${b.planId} broken: instalment ${b.missedSeq} not paid`,
        status: 'open',
        created_at: now,
        done_by: null,
        done_note: null,
      })),
    );
    await appendAudit(trx, actor, now, [...promises.audit, ...plans.audit, ...outcome.audit]);
    await trx
      .insertInto('dunning_runs')
      .values({
        id: services.ids.next('run'),
        run_on: runOn,
        strategy_version: version,
        mode: full ? 'full' : 'incremental',
        invoices_considered: items.length,
        steps_taken: actions.filter((a) => a.outcome === 'taken').length,
        created_at: now,
        created_by: actor,
      })
      .execute();
    return {
      version,
      items: items.length,
      taken: actions.filter((a) => a.outcome === 'taken').length,
      superseded: actions.filter((a) => a.outcome === 'superseded').length,
      pausedByDispute,
      pausedByPromise,
      pausedByPlan,
      plansBroken: plans.broken.length,
      plansCompleted: plans.audit.length - plans.broken.length,
      promisesKept: promises.audit.filter((a) => a.action === 'promise.kept').length,
      promisesBroken: promises.broken.length,
      ...outcome.counts,
      withoutRecipient: outcome.withoutRecipient,
      outbox: outcome.outbox,
    };
  });
  const sent = await sendOutbox(services, mailer, written.outbox);
  return {
    runOn,
    strategyVersion: written.version,
    invoicesConsidered: written.items,
    stepsTaken: written.taken,
    stepsSuperseded: written.superseded,
    pausedByDispute: written.pausedByDispute,
    pausedByPromise: written.pausedByPromise,
    pausedByPlan: written.pausedByPlan,
    plansBroken: written.plansBroken,
    plansCompleted: written.plansCompleted,
    emailsSent: sent.sent,
    emailsWithoutRecipient: written.withoutRecipient,
    emailsFailed: sent.failed,
    letters: written.letters,
    tasksCreated: written.tasks,
    stopSupplySet: written.stopSupply,
    promisesKept: written.promisesKept,
    promisesBroken: written.promisesBroken,
  };
}

interface OutboxMail {
  readonly letterId: string;
  readonly customerId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Renders and records the customers' e-mails and letters, sets stop-supply flags, opens tasks. */
async function writeCustomerSteps(
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
  for (let start = 0; start < customerIds.length; start += 5_000) {
    const chunk = customerIds.slice(start, start + 5_000);
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
    });
  for (const steps of perCustomer.values()) {
    if (steps.stepItems.length === 0) continue; // only superseded steps: recorded, nothing to send
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
      { kind, items: stops && steps.emailItems.length === 0 ? steps.letters : steps.emailItems },
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
  for (let start = 0; start < stopped.length; start += 5_000) {
    const chunk = stopped.slice(start, start + 5_000);
    await trx
      .updateTable('credit_profiles')
      .set({ stop_supply: 1, updated_at: now })
      .where('customer_id', 'in', chunk)
      .execute();
  }
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
async function sendOutbox(services: Services, mailer: Mailer | null, outbox: readonly OutboxMail[]) {
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
