import type { DunningStrategy } from '../../core/collections/dunning-strategy.js';
import { DomainError } from '../../core/errors.js';
import { addDays, type BusinessDate } from '../../core/time/business-date.js';
import { appendAudit, lockAuditHead } from '../../store/audit.js';
import { type Executor, insertChunked } from '../../store/write.js';
import type { Actor, Progress, Services } from '../services.js';
import {
  type CustomerRange,
  type DunningContext,
  decideBatch,
  doneSteps,
  type OpenItem,
  writeStepRows,
} from './dunning-batch.js';
import { activeHolds } from './dunning-holds.js';
import { type OutboxMail, sendOutbox, writeCustomerSteps } from './dunning-notices.js';
import type { Mailer } from './mailer.js';
import { invoicesInActivePlans, judgePaymentPlans } from './payment-plans.js';
import { judgePromises } from './promises.js';
import { currentStrategy } from './strategy.js';

export { listLetters } from './dunning-notices.js';

export interface DunningRunSummary {
  readonly runOn: BusinessDate;
  readonly strategyVersion: number;
  readonly invoicesConsidered: number;
  readonly stepsTaken: number;
  readonly stepsSuperseded: number;
  readonly pausedByDispute: number;
  readonly pausedByPromise: number;
  readonly pausedByPlan: number;
  readonly pausedByHold: number;
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
/** Customers decided, written and let go together: bounds the memory of a run over a large book. */
const CUSTOMERS_PER_BATCH = 2_000;

/**
 * Customers whose invoices may have reached steps without crossing a threshold since `since`: a
 * dispute resolved, a promise settled, a payment plan ended or a hold lifted or run out (their
 * pause ended) or a credit profile changed (class).
 */
async function customersChangedSince(
  trx: Executor,
  since: BusinessDate,
  lastRunAt: string,
  runOn: BusinessDate,
): Promise<string[]> {
  const changed = [
    trx.selectFrom('disputes').select('customer_id').where('resolved_on', '>=', since),
    trx.selectFrom('payment_promises').select('customer_id').where('settled_on', '>=', since),
    trx.selectFrom('payment_plans').select('customer_id').where('ended_on', '>=', since),
    trx
      .selectFrom('dunning_holds')
      .select('customer_id')
      .where((eb) =>
        eb.or([eb('lifted_at', '>', lastRunAt), eb.and([eb('until', '>=', since), eb('until', '<', runOn)])]),
      ),
    // After the last run's own writes (its stop-supply flags carry its timestamp).
    trx.selectFrom('credit_profiles').select('customer_id').where('updated_at', '>', lastRunAt),
  ];
  const ids = new Set<string>();
  for (const query of changed) for (const r of await query.execute()) ids.add(r.customer_id);
  return [...ids];
}

/** A full pass looks at every open item; an incremental one at what may have changed since. */
interface RunScope {
  readonly full: boolean;
  readonly since: BusinessDate | null;
  readonly changed: readonly string[];
}

async function runScope(trx: Executor, version: number, runOn: BusinessDate): Promise<RunScope> {
  const last = await trx
    .selectFrom('dunning_runs')
    .select(['run_on', 'strategy_version', 'created_at'])
    .orderBy('run_on', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const since =
    last && last.strategy_version === version && last.run_on <= runOn ? (last.run_on as BusinessDate) : null;
  const changed = since && last ? await customersChangedSince(trx, since, last.created_at, runOn) : [];
  // Beyond a few thousand changed customers a full pass is as cheap, and keeps the query small.
  const full = since === null || changed.length > MAX_CHANGED_CUSTOMERS;
  return { full, since, changed: full ? [] : changed };
}

/**
 * The open items to look at, a few thousand customers at a time (a customer's items together, by
 * due date). A full pass walks the customers in id order; an incremental one reads its few items at once.
 */
async function* itemBatches(
  trx: Executor,
  strategy: DunningStrategy,
  runOn: BusinessDate,
  scope: RunScope,
  onProgress?: Progress,
): AsyncGenerator<{ items: OpenItem[]; range: CustomerRange | null }> {
  const earliest = Math.min(...strategy.steps.map((s) => s.daysPastDue));
  const { since, changed } = scope;
  const open = (range?: CustomerRange) =>
    trx
      .selectFrom('invoices')
      .select(['id', 'customer_id', 'invoice_number', 'due_date', 'open_minor', 'currency'])
      .where('open_minor', '>', 0)
      .where('due_date', '<=', addDays(runOn, -earliest))
      .where('issue_date', '<=', runOn)
      .$if(range !== undefined, (q) =>
        q.where('customer_id', '>=', range?.[0] as string).where('customer_id', '<=', range?.[1] as string),
      )
      .$if(!scope.full, (q) =>
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
      .orderBy('due_date');
  if (!scope.full) {
    onProgress?.(0, 1);
    yield { items: await open().execute(), range: null };
    onProgress?.(1, 1);
    return;
  }
  const customers = (await trx.selectFrom('customers').select('id').orderBy('id').execute()).map((c) => c.id);
  for (let start = 0; start < customers.length; start += CUSTOMERS_PER_BATCH) {
    onProgress?.(start, customers.length);
    const batch = customers.slice(start, start + CUSTOMERS_PER_BATCH);
    const range: CustomerRange = [batch[0] as string, batch[batch.length - 1] as string];
    yield { items: await open(range).execute(), range };
  }
  onProgress?.(customers.length, customers.length);
}

async function dunningContext(trx: Executor, runOn: BusinessDate): Promise<DunningContext> {
  const profiles = await trx
    .selectFrom('credit_profiles')
    .select(['customer_id', 'risk_class', 'stop_supply'])
    .execute();
  const disputes = await trx
    .selectFrom('disputes')
    .select('invoice_id')
    .where('status', '=', 'open')
    .execute();
  const promises = await trx
    .selectFrom('payment_promises')
    .select('customer_id')
    .where('status', '=', 'open')
    .execute();
  return {
    risk: new Map(profiles.map((p) => [p.customer_id, p])),
    disputed: new Set(disputes.map((d) => d.invoice_id)),
    inPlan: await invoicesInActivePlans(trx),
    promised: new Set(promises.map((p) => p.customer_id)),
    held: new Set((await activeHolds(trx, runOn)).keys()),
  };
}

/**
 * The day's dunning run (E2): judges promises and payment plans, then takes every strategy step
 * each open invoice has reached and not yet had — except on invoices in open dispute or in a kept
 * payment plan and for customers with an open promise to pay. All of it is written in one
 * transaction first, with the steps each invoice had, so a second run on the same day finds
 * nothing left to do and sends nothing twice; e-mails go out after the commit, one per customer
 * listing all its items, in the contact's language. Progress is counted in customers.
 */
export async function runDunning(
  services: Services,
  actor: Actor,
  mailer: Mailer | null,
  runOn: BusinessDate = services.clock.today(),
  onProgress?: Progress,
): Promise<DunningRunSummary> {
  // A run dated ahead would send real mail about debts as they are not yet.
  if (runOn > services.clock.today())
    throw new DomainError('invalid_date', 'a dunning run cannot be dated after today', 'runOn');
  const now = services.clock.now().toISOString();
  const written = await services.store.db.transaction().execute(async (trx) => {
    // One run at a time, and after every other writer: the run reads and writes under this lock.
    await lockAuditHead(trx);
    const { version, strategy } = await currentStrategy(trx);
    const promises = await judgePromises(trx, runOn, strategy.promiseGraceDays);
    const plans = await judgePaymentPlans(trx, runOn, now);
    const scope = await runScope(trx, version, runOn);
    const context = await dunningContext(trx, runOn);
    // The first run over a book has no history to look up.
    const dunnedBefore =
      (await trx.selectFrom('dunning_steps').select('invoice_id').limit(1).executeTakeFirst()) !== undefined;
    const totals = {
      items: 0,
      taken: 0,
      superseded: 0,
      pausedByDispute: 0,
      pausedByPromise: 0,
      pausedByPlan: 0,
      pausedByHold: 0,
      letters: 0,
      tasks: 0,
      stopSupply: 0,
      withoutRecipient: 0,
    };
    const outbox: OutboxMail[] = [];
    // Appended batch by batch, so a large run does not hold every entry until the end.
    await appendAudit(trx, actor, now, [...promises.audit, ...plans.audit]);
    const addOutcome = async (outcome: Awaited<ReturnType<typeof writeCustomerSteps>>) => {
      await appendAudit(trx, actor, now, outcome.audit);
      outbox.push(...outcome.outbox);
      totals.withoutRecipient += outcome.withoutRecipient;
      totals.letters += outcome.counts.letters;
      totals.tasks += outcome.counts.tasks;
      totals.stopSupply += outcome.counts.stopSupply;
    };
    // Batches overlap: the next batch is read and decided while the store is still writing the
    // previous one's rows — on PostgreSQL the server inserts while this process decides and
    // renders (on SQLite, whose writes run in this thread, nothing changes). The next batch's
    // read is queued on the connection before this batch's writes, so it never waits behind them.
    const batches = itemBatches(trx, strategy, runOn, scope, onProgress);
    let writing: Promise<void> = Promise.resolve();
    try {
      for (let next = await batches.next(); !next.done; ) {
        const { items, range } = next.value;
        const { done, today } = dunnedBefore
          ? await doneSteps(trx, items, runOn, range)
          : { done: new Map(), today: new Map() };
        const decision = decideBatch(items, strategy, runOn, context, done);
        await writing;
        const following = batches.next();
        writing = (async () => {
          await writeStepRows(trx, decision.stepRows, today, runOn);
          await addOutcome(
            await writeCustomerSteps(trx, services, now, runOn, decision.perCustomer, context.risk, []),
          );
        })();
        // Awaited at the next batch or after the last; until then only marked as handled.
        writing.catch(() => {});
        totals.items += items.length;
        totals.taken += decision.taken;
        totals.superseded += decision.superseded;
        totals.pausedByDispute += decision.pausedByDispute;
        totals.pausedByPromise += decision.pausedByPromise;
        totals.pausedByPlan += decision.pausedByPlan;
        totals.pausedByHold += decision.pausedByHold;
        next = await following;
      }
    } finally {
      // A failed write is the error to report (a read after it fails only because of it).
      await writing;
    }
    await addOutcome(
      await writeCustomerSteps(trx, services, now, runOn, new Map(), context.risk, promises.broken),
    );
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
        done_outcome: null,
      })),
    );
    await trx
      .insertInto('dunning_runs')
      .values({
        id: services.ids.next('run'),
        run_on: runOn,
        strategy_version: version,
        mode: scope.full ? 'full' : 'incremental',
        invoices_considered: totals.items,
        steps_taken: totals.taken,
        created_at: now,
        created_by: actor,
      })
      .execute();
    return {
      version,
      totals,
      outbox,
      plansBroken: plans.broken.length,
      plansCompleted: plans.audit.length - plans.broken.length,
      promisesKept: promises.audit.filter((a) => a.action === 'promise.kept').length,
      promisesBroken: promises.broken.length,
    };
  });
  const sent = await sendOutbox(services, mailer, written.outbox);
  const { totals } = written;
  return {
    runOn,
    strategyVersion: written.version,
    invoicesConsidered: totals.items,
    stepsTaken: totals.taken,
    stepsSuperseded: totals.superseded,
    pausedByDispute: totals.pausedByDispute,
    pausedByPromise: totals.pausedByPromise,
    pausedByPlan: totals.pausedByPlan,
    pausedByHold: totals.pausedByHold,
    plansBroken: written.plansBroken,
    plansCompleted: written.plansCompleted,
    emailsSent: sent.sent,
    emailsWithoutRecipient: totals.withoutRecipient,
    emailsFailed: sent.failed,
    letters: totals.letters,
    tasksCreated: totals.tasks,
    stopSupplySet: totals.stopSupply,
    promisesKept: written.promisesKept,
    promisesBroken: written.promisesBroken,
  };
}
