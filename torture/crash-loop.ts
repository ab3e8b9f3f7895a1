import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { businessDateOf } from '../src/core/time/business-date.js';
import { openStore, type Store } from '../src/store/db.js';
import { startServer } from '../test/support/server-process.js';
import { bookViolations } from './book-invariants.js';
import { type Call, call, must, type Outcome, type Random, seeded } from './http-client.js';

export interface CrashLoopOptions {
  readonly dialect: 'sqlite' | 'postgres';
  readonly kills: number;
  readonly seed: number;
  /** PostgreSQL server for the postgres run; a schema of its own is made and dropped. */
  readonly pgUrl?: string;
  /** Concurrent clients writing while the server is killed. */
  readonly workers?: number;
  readonly log?: (line: string) => void;
}

export interface CrashLoopReport {
  readonly dialect: string;
  readonly seed: number;
  readonly kills: number;
  /** Writes answered 2xx before a kill, each checked after the restart that followed. */
  readonly acknowledged: number;
  readonly lost: number;
  /** Keyed writes cut off by a kill, retried with the same key after the restart. */
  readonly keyedInFlight: number;
  readonly violations: string[];
  readonly seconds: number;
}

const ADMIN = `fk_torture_${randomBytes(12).toString('hex')}`;
const LIMIT_MINOR = 1_000_000;

/** A write answered 2xx: after each restart, `check` says what of it is missing (null: all there). */
interface Acknowledged {
  readonly what: string;
  check(base: string): Promise<string | null>;
}

interface Keys {
  readonly analyst: string;
  readonly manager: string;
}

/** What the load knows of the book: the customers it orders for, and what it can act on next. */
interface Book {
  readonly orderCustomers: string[];
  readonly ledgerCustomers: string[];
  readonly groups: string[];
  readonly invoices: { id: string; customerId: string }[];
  readonly held: string[];
}

const jsonOf = (outcome: Outcome) =>
  outcome.answered ? (JSON.parse(outcome.body) as Record<string, unknown>) : {};

/** The same request with the same key after a restart: must replay the answer it got before. */
function replays(what: string, request: Call, first: Outcome): Acknowledged {
  return {
    what,
    async check(base) {
      const again = await call(base, request);
      if (!again.answered) return `${what}: the replay got no answer (${again.error})`;
      if (!first.answered) return null;
      if (again.status !== first.status || again.body !== first.body)
        return `${what}: replayed ${again.status} ${again.body.slice(0, 200)} ≠ first answer ${first.status} ${first.body.slice(0, 200)}`;
      return null;
    },
  };
}

/** A record created by an acknowledged write must still be there, as it was answered. */
function stillThere(
  what: string,
  key: string,
  path: string,
  expect: (found: Record<string, unknown>) => boolean,
) {
  return {
    what,
    async check(base: string) {
      const found = await call(base, { method: 'GET', path, key });
      if (!found.answered || found.status !== 200)
        return `${what}: ${path} answers ${found.answered ? found.status : found.error}`;
      return expect(jsonOf(found))
        ? null
        : `${what}: ${path} is not as acknowledged: ${found.body.slice(0, 300)}`;
    },
  };
}

/** One write of the mixed load, chosen at random; what it left to check, or what is in doubt. */
async function oneWrite(
  base: string,
  keys: Keys,
  book: Book,
  random: Random,
  tag: string,
): Promise<{ acknowledged?: Acknowledged; inFlight?: { what: string; request: Call } }> {
  const today = businessDateOf(new Date());
  const kind = random.pick([
    'order',
    'order',
    'keyed_order',
    'keyed_order',
    'release',
    'invoice',
    'keyed_invoice',
    'payment',
    'credit_note',
    'limit',
    'group',
  ] as const);
  const customer = random.pick(book.orderCustomers);
  let request: Call;
  switch (kind) {
    case 'order':
    case 'keyed_order':
      request = {
        method: 'POST',
        path: '/v1/orders',
        key: keys.analyst,
        body: {
          customerId: customer,
          externalId: `O-${tag}`,
          amountMinor: random.int(1, LIMIT_MINOR / 4),
          currency: 'CNY',
        },
        ...(kind === 'keyed_order' ? { idempotencyKey: `K-${tag}` } : {}),
      };
      break;
    case 'release': {
      const order = book.held.pop();
      if (!order) return {};
      request = {
        method: 'POST',
        path: `/v1/orders/${order}/release`,
        key: keys.manager,
        body: { note: 'torture' },
      };
      break;
    }
    case 'invoice':
    case 'keyed_invoice':
      request = {
        method: 'POST',
        path: '/v1/invoices',
        key: ADMIN,
        body: {
          customerId: random.pick(book.ledgerCustomers),
          externalId: `I-${tag}`,
          invoiceNumber: `INV-${tag}`,
          issueDate: today,
          dueDate: today,
          amountMinor: random.int(100, 50_000),
          currency: 'CNY',
        },
        ...(kind === 'keyed_invoice' ? { idempotencyKey: `K-${tag}` } : {}),
      };
      break;
    case 'payment':
    case 'credit_note': {
      const invoice = book.invoices.length > 0 ? random.pick(book.invoices) : null;
      if (!invoice) return {};
      request =
        kind === 'payment'
          ? {
              method: 'POST',
              path: '/v1/payments',
              key: ADMIN,
              body: {
                customerId: invoice.customerId,
                externalId: `P-${tag}`,
                paidOn: today,
                amountMinor: random.int(1, 20_000),
                currency: 'CNY',
                ...(random.chance(0.5) ? { invoiceId: invoice.id } : {}),
              },
              idempotencyKey: `K-${tag}`,
            }
          : {
              method: 'POST',
              path: '/v1/credit-notes',
              key: ADMIN,
              body: {
                invoiceId: invoice.id,
                externalId: `CN-${tag}`,
                issuedOn: today,
                amountMinor: random.int(1, 2_000),
                reason: 'torture',
              },
            };
      break;
    }
    case 'limit': {
      // Limits only rise, so approved exposure never has to exceed the limit in force.
      const asked = await call(base, {
        method: 'POST',
        path: '/v1/limit-requests',
        key: keys.analyst,
        body: {
          subjectType: 'customer',
          subjectId: customer,
          kind: 'permanent',
          amountMinor: LIMIT_MINOR + random.int(1, 20) * 10_000,
          currency: 'CNY',
          reason: 'torture',
        },
      });
      const id = jsonOf(asked).id;
      if (!asked.answered || asked.status !== 201 || typeof id !== 'string') return {};
      request = {
        method: 'POST',
        path: `/v1/limit-requests/${id}/approve`,
        key: keys.manager,
        body: { note: 'ok' },
      };
      break;
    }
    case 'group':
      request = {
        method: 'PATCH',
        path: `/v1/customers/${random.pick(book.ledgerCustomers)}`,
        key: ADMIN,
        body: { groupId: random.chance(0.3) ? null : random.pick(book.groups) },
      };
      break;
  }
  const outcome = await call(base, request);
  if (!outcome.answered)
    return request.idempotencyKey ? { inFlight: { what: `${kind} ${tag}`, request } } : {};
  if (outcome.status >= 500)
    throw new Error(`${request.method} ${request.path} answered ${outcome.status}: ${outcome.body}`);
  if (outcome.status >= 300) return {};
  const body = jsonOf(outcome);
  const what = `${kind} ${tag}`;
  if (request.idempotencyKey) {
    if (kind === 'keyed_invoice')
      book.invoices.push({ id: String(body.id), customerId: String(body.customerId) });
    return { acknowledged: replays(what, request, outcome) };
  }
  switch (kind) {
    case 'order':
      if (body.status === 'held') book.held.push(String(body.id));
      return {
        acknowledged: stillThere(what, ADMIN, `/v1/orders/${body.id}`, (o) => o.externalId === `O-${tag}`),
      };
    case 'release':
      return {
        acknowledged: stillThere(what, ADMIN, `/v1/orders/${body.id}`, (o) => o.status === 'open'),
      };
    case 'invoice':
      book.invoices.push({ id: String(body.id), customerId: String(body.customerId) });
      return {
        acknowledged: stillThere(
          what,
          ADMIN,
          `/v1/invoices/${body.id}`,
          (i) => i.amountMinor === body.amountMinor,
        ),
      };
    case 'credit_note':
      return {
        acknowledged: stillThere(
          what,
          ADMIN,
          `/v1/credit-notes?invoiceId=${body.invoiceId}&limit=500`,
          (page) => (page.items as { id: string }[]).some((n) => n.id === body.id),
        ),
      };
    case 'limit':
      return {
        acknowledged: stillThere(what, ADMIN, `/v1/limit-requests?subjectId=${customer}`, (page) =>
          (page.items as { id: string; status: string }[]).some(
            (r) => r.id === body.id && r.status === 'approved',
          ),
        ),
      };
    default:
      return {
        acknowledged: stillThere(what, ADMIN, `/v1/customers/${body.id}`, () => true),
      };
  }
}

/** Approved orders (not released by someone) never add up past a customer's limit. */
async function approvalViolations(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('orders')
    .select(['customer_id', (eb) => eb.fn.sum<number>('credit_minor').as('approved')])
    .where('status', '=', 'open')
    .where('decided_by', 'is', null)
    .groupBy('customer_id')
    .execute();
  const limits = await store.db
    .selectFrom('credit_limits')
    .select(['subject_id', (eb) => eb.fn.max('amount_minor').as('limit')])
    .where('subject_type', '=', 'customer')
    .where('kind', '=', 'permanent')
    .groupBy('subject_id')
    .execute();
  const limitOf = new Map(limits.map((l) => [l.subject_id, Number(l.limit)]));
  return rows
    .filter((r) => Number(r.approved) > (limitOf.get(r.customer_id) ?? 0))
    .map(
      (r) =>
        `customer ${r.customer_id}: approved orders ${r.approved} exceed its limit ${limitOf.get(r.customer_id)}`,
    );
}

/**
 * Writes of every kind from many clients at once while a server process is killed with SIGKILL at
 * random moments and restarted; after each restart, every acknowledged write is checked (present,
 * its keyed answer replayed byte for byte), every keyed write cut off is retried with its key (it
 * must resolve: a replay or a fresh execution, never "in progress"), and the book's invariants and
 * audit chain are verified from the store. On PostgreSQL two server processes share the book and
 * one of them is killed each time.
 */
export async function crashLoop(options: CrashLoopOptions): Promise<CrashLoopReport> {
  const started = performance.now();
  const random = seeded(options.seed);
  const log = options.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'fulcrum-torture-'));
  const schema = `torture_${randomBytes(5).toString('hex')}`;
  const pgUrl = options.pgUrl ?? 'postgres://postgres@127.0.0.1:5432/test';
  if (options.dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
  }
  const env: NodeJS.ProcessEnv = {
    FULCRUM_DEMO: '0',
    FULCRUM_BOOTSTRAP_KEY: ADMIN,
    FULCRUM_DATA_DIR: dataDir,
    FULCRUM_CHECKPOINT_CRON: 'off',
    FULCRUM_WRITES_PER_MINUTE: '0',
    DATABASE_URL:
      options.dialect === 'postgres'
        ? `${pgUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`
        : '',
  };
  const servers: { base: string; process: ChildProcess }[] = [];
  // A port taken between the probe and the listen (by another test or benchmark) is tried again.
  const start = async (index: number, attempt = 1): Promise<void> => {
    try {
      const { base, server } = await startServer({ env, timeoutMs: 60_000 });
      servers[index] = { base, process: server };
    } catch (error) {
      if (attempt >= 3) throw error;
      await start(index, attempt + 1);
    }
  };
  const store =
    options.dialect === 'postgres'
      ? openStore({ dialect: 'postgres', url: pgUrl, searchPath: schema })
      : null;
  const report = { acknowledged: 0, lost: 0, keyedInFlight: 0, violations: [] as string[] };
  try {
    await start(0);
    if (options.dialect === 'postgres') await start(1);
    const base0 = (servers[0] as { base: string }).base;
    const newKey = async (role: string) =>
      (
        await must<{ key: string }>(base0, {
          method: 'POST',
          path: '/v1/api-keys',
          key: ADMIN,
          body: { name: role, role },
        })
      ).key;
    const keys: Keys = { analyst: await newKey('credit_analyst'), manager: await newKey('credit_manager') };
    const book: Book = { orderCustomers: [], ledgerCustomers: [], groups: [], invoices: [], held: [] };
    for (let g = 0; g < 2; g++)
      book.groups.push(
        (
          await must<{ id: string }>(base0, {
            method: 'POST',
            path: '/v1/customer-groups',
            key: ADMIN,
            body: { externalId: `TG-${g}`, name: `Torture group ${g}` },
          })
        ).id,
      );
    for (let c = 0; c < 16; c++) {
      const customer = await must<{ id: string }>(base0, {
        method: 'POST',
        path: '/v1/customers',
        key: ADMIN,
        body: { externalId: `TC-${c}`, name: `Torture ${c}`, country: 'CN', currency: 'CNY', segment: 'mid' },
      });
      if (c < 10) {
        const asked = await must<{ id: string }>(base0, {
          method: 'POST',
          path: '/v1/limit-requests',
          key: keys.analyst,
          body: {
            subjectType: 'customer',
            subjectId: customer.id,
            kind: 'permanent',
            amountMinor: LIMIT_MINOR,
            currency: 'CNY',
            reason: 'torture',
          },
        });
        await must(base0, {
          method: 'POST',
          path: `/v1/limit-requests/${asked.id}/approve`,
          key: keys.manager,
          body: { note: 'ok' },
        });
        book.orderCustomers.push(customer.id);
      } else book.ledgerCustomers.push(customer.id);
    }

    let serial = 0;
    for (let kill = 1; kill <= options.kills; kill++) {
      const acknowledged: Acknowledged[] = [];
      const inFlight: { what: string; request: Call }[] = [];
      let stop = false;
      const worker = async () => {
        while (!stop) {
          const target = random.pick(servers);
          const result = await oneWrite(target.base, keys, book, random, `${kill}-${++serial}`);
          if (result.acknowledged) acknowledged.push(result.acknowledged);
          if (result.inFlight) inFlight.push(result.inFlight);
        }
      };
      const load = Array.from({ length: options.workers ?? 16 }, worker);
      await new Promise((resolve) => setTimeout(resolve, random.int(150, 700)));
      const victim = random.int(0, servers.length - 1);
      (servers[victim] as { process: ChildProcess }).process.kill('SIGKILL');
      stop = true;
      await Promise.all(load);
      await start(victim);
      const base = (servers[victim] as { base: string }).base;
      for (const a of acknowledged) {
        const problem = await a.check(base);
        if (problem) {
          report.lost += 1;
          report.violations.push(`kill ${kill}: ${problem}`);
        }
      }
      for (const pending of inFlight) {
        const retried = await call(base, pending.request);
        if (!retried.answered || retried.status >= 300)
          report.violations.push(
            `kill ${kill}: ${pending.what} retried with its key: ${retried.answered ? `${retried.status} ${retried.body.slice(0, 200)}` : retried.error}`,
          );
      }
      report.acknowledged += acknowledged.length;
      report.keyedInFlight += inFlight.length;
      const reader = store ?? openStore({ dialect: 'sqlite', file: join(dataDir, 'fulcrum.db') });
      try {
        for (const v of [...(await bookViolations(reader)), ...(await approvalViolations(reader))])
          report.violations.push(`kill ${kill}: ${v}`);
      } finally {
        if (!store) await reader.close();
      }
      log(
        `kill ${kill}/${options.kills}: ${acknowledged.length} acknowledged writes checked, ${inFlight.length} keyed writes cut off and retried, ${report.violations.length} violations so far`,
      );
      if (report.violations.length > 20) break;
    }
  } finally {
    for (const s of servers) s?.process.kill('SIGKILL');
    await store?.close();
    if (options.dialect === 'postgres') {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    dialect: options.dialect,
    seed: options.seed,
    kills: options.kills,
    ...report,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
