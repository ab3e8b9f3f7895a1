import { openDispute, resolveDispute } from '../src/app/collections/disputes.js';
import { runDunning } from '../src/app/collections/dunning-run.js';
import { limitFromRows } from '../src/app/credit/credit-position.js';
import { decideHeldOrder } from '../src/app/credit/decide-held-order.js';
import { decideLimitRequest, requestLimit } from '../src/app/credit/limit-requests.js';
import { placeOrder } from '../src/app/credit/place-order.js';
import { createCustomers } from '../src/app/customers/create-customers.js';
import { moveOrder } from '../src/app/orders/move-order.js';
import { createInvoices } from '../src/app/receivables/create-invoices.js';
import { issueCreditNote } from '../src/app/receivables/issue-credit-note.js';
import { recordPayments } from '../src/app/receivables/record-payments.js';
import { refreshLatePaymentScores } from '../src/app/scoring/late-payment-scores.js';
import type { Services } from '../src/app/services.js';
import { DomainError } from '../src/core/errors.js';
import { addDays, type BusinessDate } from '../src/core/time/business-date.js';
import type { Dialect } from '../src/store/db.js';
import { freshStore, scenarioServices } from '../test/support/stores.js';
import { bookViolations, ledgerViolations } from './book-invariants.js';
import { type Random, seeded } from './http-client.js';

export interface SimulationOptions {
  readonly seed: number;
  readonly steps: number;
  readonly dialect?: Dialect;
  /** The whole audit chain is re-verified every this many steps (the ledger after every step). */
  readonly chainEvery?: number;
}

export interface SimulationReport {
  readonly seed: number;
  readonly steps: number;
  readonly days: number;
  readonly actions: Record<string, number>;
  /** Steps a business rule refused, by error code. */
  readonly refusals: Record<string, number>;
  /** The first broken invariant: its step and action, to replay with the same seed. */
  readonly failure: { step: number; action: string; problems: string[] } | null;
  readonly seconds: number;
}

const ANALYST = { actor: 'sim:analyst', role: 'credit_analyst' };
const MANAGER = { actor: 'sim:manager', role: 'credit_manager' };
const CUSTOMERS = 12;

interface State {
  day: BusinessDate;
  serial: number;
  customers: string[];
  held: string[];
  open: string[];
  invoices: { id: string; customerId: string; dueDate: BusinessDate }[];
  disputes: string[];
}

/** Approved credit never passes the limit in force, recomputed here from the rows, not the desk. */
async function approvalWithinLimit(
  services: Services,
  customerId: string,
  placed: { creditMinor: number | null },
) {
  const { db } = services.store;
  const today = services.clock.today();
  const rows = await db
    .selectFrom('credit_limits')
    .selectAll()
    .where('subject_type', '=', 'customer')
    .where('subject_id', '=', customerId)
    .where('status', '=', 'active')
    .execute();
  const limit = limitFromRows(rows, today).limit.totalMinor;
  const open = await db
    .selectFrom('invoices')
    .select((eb) => eb.fn.sum<number>('open_minor').as('n'))
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  // Credit of the customer's open and shipped orders, approved by the check or released by someone.
  const ordersBy = async (released: boolean) =>
    Number(
      (
        await db
          .selectFrom('orders')
          .select((eb) => eb.fn.sum<number>('credit_minor').as('n'))
          .where('customer_id', '=', customerId)
          .where('status', 'in', ['open', 'shipped'])
          .where('decided_by', released ? 'is not' : 'is', null)
          .executeTakeFirst()
      )?.n ?? 0,
    );
  const approvedExposure = Number(open?.n ?? 0) + (await ordersBy(false));
  // Released orders are someone's explicit override; approvals alone must fit, counting them out.
  const released = { n: await ordersBy(true) };
  if ((placed.creditMinor ?? 0) > 0 && approvedExposure > limit + Number(released?.n ?? 0))
    return [
      `customer ${customerId}: an approval took exposure to ${approvedExposure} over the limit in force ${limit}`,
    ];
  return [];
}

type Action = (services: Services, state: State, random: Random) => Promise<string[]>;

const ACTIONS: Record<string, Action> = {
  async order(services, state, random) {
    const customerId = random.pick(state.customers);
    const placed = await placeOrder(services, 'sim:sales', {
      customerId,
      externalId: `SO-${++state.serial}`,
      amountMinor: random.int(1_000, 400_000),
      currency: 'CNY',
    });
    if (placed.order.status === 'held') state.held.push(placed.order.id);
    if (placed.order.status === 'open') state.open.push(placed.order.id);
    return approvalWithinLimit(services, customerId, placed.order);
  },
  async release(services, state, random) {
    const id = state.held.splice(random.int(0, Math.max(0, state.held.length - 1)), 1)[0];
    if (!id) return [];
    const decided = await decideHeldOrder(services, MANAGER, id, {
      release: random.chance(0.7),
      note: 'sim',
    });
    if (decided.status === 'open') state.open.push(id);
    return [];
  },
  async invoice(services, state, random) {
    const id = state.open.shift();
    if (!id) return [];
    const order = await services.store.db
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (order.status !== 'open') return [];
    await moveOrder(services, 'sim:ops', id, 'ship');
    const dueDate = addDays(state.day, random.pick([30, 45, 60]));
    const [invoice] = await createInvoices(services, 'sim:finance', [
      {
        customerId: order.customer_id,
        externalId: `SI-${++state.serial}`,
        invoiceNumber: `SI-${state.serial}`,
        issueDate: state.day,
        dueDate,
        amountMinor: order.amount_minor,
        currency: 'CNY',
        orderId: id,
      },
    ]);
    if (invoice) state.invoices.push({ id: invoice.id, customerId: order.customer_id, dueDate });
    return [];
  },
  async payment(services, state, random) {
    const invoice = state.invoices.length > 0 ? random.pick(state.invoices) : null;
    if (!invoice) return [];
    await recordPayments(services, 'sim:finance', [
      {
        customerId: invoice.customerId,
        externalId: `SP-${++state.serial}`,
        paidOn: state.day,
        amountMinor: random.int(1_000, 300_000),
        currency: 'CNY',
        ...(random.chance(0.6) ? { invoiceId: invoice.id } : {}),
      },
    ]);
    return [];
  },
  async creditNote(services, state, random) {
    const invoice = state.invoices.length > 0 ? random.pick(state.invoices) : null;
    if (!invoice) return [];
    await issueCreditNote(services, 'sim:finance', {
      invoiceId: invoice.id,
      externalId: `SC-${++state.serial}`,
      issuedOn: state.day,
      amountMinor: random.int(1, 20_000),
      reason: 'sim',
      kind: random.chance(0.8) ? 'credit_note' : 'write_off',
    });
    return [];
  },
  async dispute(services, state, random) {
    if (state.disputes.length > 0 && random.chance(0.5)) {
      const id = state.disputes.shift() as string;
      await resolveDispute(services, MANAGER, id, {
        resolution: random.pick(['valid', 'credit_note']),
        note: 'sim',
      });
      return [];
    }
    const invoice = state.invoices.length > 0 ? random.pick(state.invoices) : null;
    if (!invoice) return [];
    const opened = await openDispute(services, 'sim:collector', invoice.id, {
      amountMinor: random.int(1, 10_000),
      reason: 'quality',
      note: 'sim',
      owner: 'sim:collector',
      dueOn: addDays(state.day, 14),
    });
    state.disputes.push(opened.id);
    return [];
  },
  async limit(services, state, random) {
    const temporary = random.chance(0.4);
    const request = await requestLimit(services, ANALYST.actor, {
      subjectType: 'customer',
      subjectId: random.pick(state.customers),
      kind: temporary ? 'temporary' : 'permanent',
      amountMinor: random.int(5, 40) * 50_000,
      currency: 'CNY',
      ...(temporary ? { startsOn: state.day, expiresOn: addDays(state.day, random.int(1, 30)) } : {}),
      reason: 'sim',
    });
    await decideLimitRequest(services, MANAGER, request.id, { approve: random.chance(0.85), note: 'sim' });
    return [];
  },
  async nextDay(_services, state, random) {
    state.day = addDays(state.day, random.int(1, 3));
    return [];
  },
  async dunning(services) {
    await runDunning(services, 'sim:scheduler', null);
    return [];
  },
  async scoring(services) {
    await refreshLatePaymentScores(services, 'sim:scheduler');
    return [];
  },
};

const WEIGHTS: [string, number][] = [
  ['order', 30],
  ['release', 8],
  ['invoice', 20],
  ['payment', 16],
  ['creditNote', 4],
  ['dispute', 4],
  ['limit', 5],
  ['nextDay', 12],
  ['dunning', 2],
  ['scoring', 1],
];

function chooseAction(random: Random): string {
  let pick = random.next() * WEIGHTS.reduce((s, [, w]) => s + w, 0);
  for (const [name, weight] of WEIGHTS) {
    pick -= weight;
    if (pick < 0) return name;
  }
  return 'order';
}

/**
 * Drives the application services with a seeded random workload — orders, releases, shipments and
 * invoices, late and partial payments, credit notes and write-offs, disputes, permanent and
 * temporary limits that expire, days passing, the dunning and scoring jobs — and after every step
 * recomputes the ledger's balances from the entries (and the audit chain every `chainEvery`
 * steps). Everything but the seed is fixed, so a failure names its step and replays exactly.
 */
export async function simulate(options: SimulationOptions): Promise<SimulationReport> {
  const started = performance.now();
  const random = seeded(options.seed);
  const t = await freshStore(options.dialect ?? 'sqlite');
  const firstDay = '2025-01-06' as BusinessDate;
  const state: State = {
    day: firstDay,
    serial: 0,
    customers: [],
    held: [],
    open: [],
    invoices: [],
    disputes: [],
  };
  const services = scenarioServices(t.store, () => state.day);
  const actions: Record<string, number> = {};
  const refusals: Record<string, number> = {};
  let failure: SimulationReport['failure'] = null;
  try {
    const customers = await createCustomers(
      services,
      'sim:setup',
      Array.from({ length: CUSTOMERS }, (_, i) => ({
        externalId: `SIM-${i}`,
        name: `Sim ${i}`,
        country: 'CN',
        currency: 'CNY',
        segment: 'mid' as const,
      })),
    );
    state.customers = customers.map((c) => c.id);
    for (const id of state.customers) {
      const request = await requestLimit(services, ANALYST.actor, {
        subjectType: 'customer',
        subjectId: id,
        kind: 'permanent',
        amountMinor: 1_000_000,
        currency: 'CNY',
        reason: 'sim',
      });
      await decideLimitRequest(services, MANAGER, request.id, { approve: true, note: 'sim' });
    }
    for (let step = 1; step <= options.steps && !failure; step++) {
      const action = chooseAction(random);
      actions[action] = (actions[action] ?? 0) + 1;
      let problems: string[];
      try {
        problems = await (ACTIONS[action] as Action)(services, state, random);
      } catch (error) {
        // A rule refusing a step (a payment beyond what is open, a book too young to score) is the
        // system working; anything else is a failure of the step.
        if (!(error instanceof DomainError)) problems = [`threw ${(error as Error).stack ?? String(error)}`];
        else {
          refusals[error.code] = (refusals[error.code] ?? 0) + 1;
          problems = [];
        }
      }
      problems.push(
        ...((options.chainEvery ?? 50) > 0 && step % (options.chainEvery ?? 50) === 0
          ? await bookViolations(t.store)
          : await ledgerViolations(t.store)),
      );
      if (problems.length > 0) failure = { step, action, problems: problems.slice(0, 10) };
    }
    if (!failure) {
      const problems = await bookViolations(t.store);
      if (problems.length > 0) failure = { step: options.steps, action: 'final check', problems };
    }
  } finally {
    await t.dispose();
  }
  return {
    seed: options.seed,
    steps: options.steps,
    days: Math.round((Date.parse(state.day) - Date.parse(firstDay)) / 86_400_000),
    actions,
    refusals,
    failure,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
