import { sql } from 'kysely';
import { runDunning } from '../app/collections/dunning-run.js';
import { signOffLimitRequest } from '../app/credit/committee.js';
import { recordFxRate } from '../app/credit/fx-rates.js';
import { decideLimitRequest, requestLimit } from '../app/credit/limit-requests.js';
import { placeOrder } from '../app/credit/place-order.js';
import { reviewLimitRelease } from '../app/credit/review-limit-release.js';
import { updateCreditProfile } from '../app/credit/update-profile.js';
import { createCustomerGroup } from '../app/customers/create-customer-group.js';
import { createCustomers } from '../app/customers/create-customers.js';
import { recordSignals } from '../app/external-data/record-signals.js';
import { recordStatements } from '../app/financials/statements.js';
import { idsByExternalId } from '../app/lookup.js';
import { runMonitoring } from '../app/monitoring/monitoring-run.js';
import { importOrders } from '../app/orders/import-orders.js';
import { createInvoices } from '../app/receivables/create-invoices.js';
import { issueCreditNote } from '../app/receivables/issue-credit-note.js';
import { recordPayments } from '../app/receivables/record-payments.js';
import { raisePolicyReviews } from '../app/reviews/policy-reviews.js';
import { refreshLatePaymentScores } from '../app/scoring/late-payment-scores.js';
import { backfillRatingHistory } from '../app/scoring/rating-backfill.js';
import { decideRatingOverride, requestRatingOverride } from '../app/scoring/ratings.js';
import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';
import { DEFAULT_COMMITTEE } from '../core/policy/committee.js';
import { addMonths, type BusinessDate, monthEnd } from '../core/time/business-date.js';
import { inOneTransaction } from '../store/request-transaction.js';
import { demoCreditSetup } from './credit-setup.js';
import { DEFAULT_DEMO, type DemoBook, type DemoOptions, generateDemoBook } from './generate.js';
import { seedCycle, seedInsurance, seedProvisionHistory } from './risk-transfer.js';
import { DEMO_PASSWORD, seedDemoUsers } from './users.js';
import { seedWorkingDay } from './working-day.js';

export interface SeedSummary {
  groups: number;
  customers: number;
  orders: number;
  invoices: number;
  payments: number;
  creditNotes: number;
  writeOffs: number;
  limits: number;
  liveOrders: number;
  users: number;
}

const ACTOR = 'demo-seed';
const ANALYST = 'demo:credit_analyst';
const SALES = 'demo:sales';
// The demo's limits are approved by a second person, as four eyes require.
const MANAGER = { actor: 'demo:credit_manager', role: 'admin' };

/** Large limits go past the credit committee first, as the policy requires. */
async function committeeSignOffs(services: Services, requestId: string): Promise<void> {
  for (const role of DEFAULT_COMMITTEE.roles) {
    try {
      await signOffLimitRequest(services, { actor: `demo:committee_${role}`, role }, requestId, {
        decision: 'approve',
        note: 'signed in the demo credit committee',
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'committee_not_required') return;
      throw error;
    }
  }
}

export async function isBookEmpty(services: Services): Promise<boolean> {
  const any = await services.store.db.selectFrom('customers').select('id').limit(1).executeTakeFirst();
  return any === undefined;
}

/** Arbitrary, fixed: the advisory lock every Fulcrum process takes before it seeds a book. */
const SEED_LOCK = 7_204_113;

/**
 * Seeds the demo book into an empty store, all or nothing, once however many processes start at
 * the same time: the whole seed is one transaction (its steps are savepoints of it), so a process
 * killed half-way leaves an empty book that the next start seeds again — never a half-written one —
 * and on PostgreSQL it first takes an advisory lock, so a second instance waits for the first
 * one's seed and then finds the book full. Null when the book was not empty.
 */
export async function seedDemoBookIfEmpty(
  services: Services,
  options: Partial<DemoOptions> = {},
  report: (step: string) => void = () => {},
): Promise<SeedSummary | null> {
  return inOneTransaction(services.store, async () => {
    if (services.store.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(${SEED_LOCK})`.execute(services.store.db);
    return (await isBookEmpty(services)) ? seedDemoBook(services, options, report) : null;
  });
}

/**
 * Writes the generated demo book through the same use cases an ERP import uses, so every record
 * is validated, allocated and audited exactly as real data would be.
 */
export async function seedDemoBook(
  services: Services,
  options: Partial<DemoOptions> = {},
  report: (step: string) => void = () => {},
): Promise<SeedSummary> {
  const seed = { ...DEFAULT_DEMO, asOf: services.clock.today(), ...options };
  const book = generateDemoBook(seed);
  report(`generated ${book.customers.length} customers, ${book.invoices.length} invoices`);
  for (const group of book.groups) await createCustomerGroup(services, ACTOR, group);
  await createCustomers(services, ACTOR, book.customers);
  const orders = await importOrders(services, ACTOR, book.orders);
  const orderIds = new Map(orders.map((o) => [o.externalId, o.id]));
  report(`wrote ${orders.length} orders`);
  await createInvoices(
    services,
    ACTOR,
    book.invoices.map(({ orderExternalId, ...invoice }) => ({
      ...invoice,
      orderId: orderIds.get(orderExternalId) ?? null,
    })),
  );
  report(`wrote ${book.invoices.length} invoices`);
  await recordPayments(services, ACTOR, book.payments);
  report(`wrote ${book.payments.length} payments`);
  const invoiceIds = await idsByExternalId(
    services.store.db,
    'invoices',
    book.creditNotes.map((n) => n.invoiceExternalId),
  );
  for (const note of book.creditNotes) {
    await issueCreditNote(services, ACTOR, {
      ...note,
      invoiceId: invoiceIds.get(note.invoiceExternalId) as string,
    });
  }
  const credit = await seedCredit(services, book, seed.asOf, seed.seed);
  report(`wrote ${credit.limits} limits and ${credit.liveOrders} live orders`);
  // Today's dunning, so the collectors' worklist and the letters show what the strategy does.
  const dunning = await runDunning(services, ACTOR, null, seed.asOf);
  report(
    `dunning run: ${dunning.stepsTaken} steps, ${dunning.letters} letters, ${dunning.tasksCreated} call tasks`,
  );
  // The ratings of the last quarter-ends as the model would have given them, then today's job:
  // the dashboard's rating migration has a history to read.
  const backfill = await backfillRatingHistory(
    services,
    ACTOR,
    [3, 6].map((months) => monthEnd(addMonths(seed.asOf, -months))),
  );
  report(
    `rating history: ${backfill.map((d) => `${d.customersRated} customers rated as of ${d.ratedOn}`).join(', ')}`,
  );
  const statements = await recordStatements(services, ACTOR, book.statements);
  report(`financial statements: ${statements.length} annual statements`);
  const scoring = await refreshLatePaymentScores(services, ACTOR);
  report(
    `late-payment model: ${scoring.trainingRows} invoices, back-test AUC ${scoring.backTest?.auc ?? '–'} (GBDT challenger ${scoring.backTest?.challenger.auc ?? '–'}: ${scoring.backTest?.challenger.verdict ?? '–'}); ${scoring.customersScored} customers scored`,
  );
  const outside = await recordSignals(services, ACTOR, book.signals);
  report(`outside data: ${outside.received} registry, court and news signals`);
  const monitoring = await runMonitoring(services, ACTOR);
  report(`early warning: ${monitoring.raised} alerts raised on ${monitoring.customers} customers`);
  const insurance = await seedInsurance(services, seed.asOf);
  report(
    `credit insurance: ${insurance.namedLimits} buyer limits, ${insurance.notified} overdue notifications, claim ${insurance.claim ?? '–'}`,
  );
  report(`economic cycle: ${await seedCycle(services, seed.asOf)} monthly readings`);
  const policyReviews = await raisePolicyReviews(services, ACTOR);
  report(`policy reviews: ${policyReviews.raised} raised (appetite, cycle, quarter)`);
  const provisionRuns = await seedProvisionHistory(services, seed.asOf, 24);
  report(`provision history: ${provisionRuns} month-end runs approved`);
  const override = await seedStrategicOverride(services);
  if (override)
    report(
      `strategic customer ${override.customerId}: rating overridden ${override.modelGrade} → ${override.grade}`,
    );
  const users = await seedDemoUsers(services, ACTOR);
  report(`created ${users} demo users (password ${DEMO_PASSWORD})`);
  const day = await seedWorkingDay(services, seed.asOf);
  report(
    `this morning: ${day.limitRequests} limit requests to decide, ${day.disputes} disputes, ${day.promises} promises to pay`,
  );
  return {
    groups: book.groups.length,
    customers: book.customers.length,
    orders: book.orders.length,
    invoices: book.invoices.length,
    payments: book.payments.length,
    creditNotes: book.creditNotes.filter((n) => n.kind === 'credit_note').length,
    writeOffs: book.creditNotes.filter((n) => n.kind === 'write_off').length,
    ...credit,
    users,
  };
}

/**
 * One strategic customer with an approved rating override (A6), so the dashboard shows what an
 * override looks like: the customer the model rates worst (a large one if any), two grades better,
 * asked for by the analyst and approved by the credit manager.
 */
async function seedStrategicOverride(services: Services) {
  const candidate = await services.store.db
    .selectFrom('credit_profiles as p')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select(['p.customer_id', 'p.model_grade'])
    .where('p.model_grade', '>=', 2)
    .orderBy(sql`case when c.segment = 'large' then 0 else 1 end`)
    .orderBy('p.model_grade', 'desc')
    .orderBy('c.id')
    .executeTakeFirst();
  if (!candidate?.model_grade) return null;
  await updateCreditProfile(services, 'analyst', candidate.customer_id, { strategic: true });
  const grade = Math.max(1, candidate.model_grade - 2);
  const asked = await requestRatingOverride(services, 'analyst', candidate.customer_id, {
    grade,
    reason: 'strategic account: parent company guarantee on file, audited accounts show strong liquidity',
  });
  await decideRatingOverride(services, 'manager', asked.id, {
    decision: 'approve',
    note: 'guarantee and accounts reviewed',
  });
  return { customerId: candidate.customer_id, modelGrade: candidate.model_grade, grade };
}

/** Limits, profiles, rates and live orders, through the same approval flow a credit team uses. */
async function seedCredit(services: Services, book: DemoBook, asOf: BusinessDate, seed: number) {
  const setup = demoCreditSetup(book, asOf, seed);
  for (const rate of setup.fxRates) await recordFxRate(services, ACTOR, rate);
  const customerIds = await idsByExternalId(
    services.store.db,
    'customers',
    book.customers.map((c) => c.externalId),
  );
  const groupIds = await idsByExternalId(
    services.store.db,
    'customer_groups',
    book.groups.map((g) => g.externalId),
  );
  for (const p of setup.profiles) {
    const { customerExternalId, ...changes } = p;
    await updateCreditProfile(services, ANALYST, customerIds.get(customerExternalId) as string, changes);
  }
  for (const limit of setup.limits) {
    const { subjectExternalId, ...rest } = limit;
    const subjectId = (limit.subjectType === 'customer' ? customerIds : groupIds).get(
      subjectExternalId,
    ) as string;
    const request = await requestLimit(services, ANALYST, { ...rest, subjectId });
    await committeeSignOffs(services, request.id);
    await decideLimitRequest(services, MANAGER, request.id, {
      approve: true,
      note: 'approved in the demo credit review',
    });
  }
  for (const limit of setup.limits.filter((l) => l.tiers)) {
    await reviewLimitRelease(services, ANALYST, customerIds.get(limit.subjectExternalId) as string);
  }
  for (const order of setup.liveOrders) {
    const { customerExternalId, ...rest } = order;
    await placeOrder(services, SALES, { ...rest, customerId: customerIds.get(customerExternalId) as string });
  }
  return { limits: setup.limits.length, liveOrders: setup.liveOrders.length };
}
