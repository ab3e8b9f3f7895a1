import { type Selectable, sql } from 'kysely';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { formatMajorAmount } from '../../core/money/parse.js';
import { reserveBacktest } from '../../core/provisions/backtest.js';
import { historySource } from '../../core/provisions/cohort-source.js';
import { learnMatrix } from '../../core/provisions/learn-matrix.js';
import {
  type GlAccounts,
  type JournalLine,
  journalLines,
  type ReserveMovement,
  reserveMovement,
} from '../../core/provisions/movement.js';
import {
  type BucketRate,
  DEFAULT_PROVISION_SETTINGS,
  type ProvisionSettings,
} from '../../core/provisions/provision-matrix.js';
import { type ReceivableHistory, settledOn } from '../../core/provisions/receivable-history.js';
import { bookReserve, type CustomerReserve, type SpecificReserve } from '../../core/provisions/reserve.js';
import { segmentMatrices } from '../../core/provisions/segment-matrix.js';
import type { AgingBucket } from '../../core/receivables/aging.js';
import { addMonths, type BusinessDate, monthEnd, parseBusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { ProvisionRunTable } from '../../store/schema.js';
import { chunkOf, type Executor, eachChunk, forUpdate } from '../../store/write.js';
import { collateralOn } from '../collateral/collateral.js';
import { assertConverted, converter, reportCurrency } from '../credit/fx-rates.js';
import { cycleOverlay } from '../cycle/cycle-readings.js';
import { coversAsOf } from '../insurance/reserve-cover.js';
import { customerNames } from '../lookup.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';
import { keepTotals, keptTotals, ledgerChanges } from './month-end-totals.js';
import { assessmentsAsOf } from './specific-provisions.js';

/** A bucket as the contract names it: the aging field without `Minor`. */
const bucketName = (bucket: AgingBucket) => bucket.replace(/Minor$/, '');

function whole(value: unknown, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    throw new DomainError('invalid_setting', `${field} must be a whole number from ${min} to ${max}`, field);
  return value as number;
}

function account(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[0-9A-Za-z.-]{1,20}$/.test(value))
    throw new DomainError(
      'invalid_setting',
      `${field} must be an account code of 1 to 20 letters, digits, dots or dashes`,
      field,
    );
  return value;
}

/** Settings as asked for: any omitted (each GL account too) takes its default. */
export type ProvisionSettingsInput = Partial<Omit<ProvisionSettings, 'accounts'>> & {
  accounts?: Partial<GlAccounts>;
};

/** Settings as given (any omitted takes its default), each checked and named when wrong. */
export function provisionSettings(input: ProvisionSettingsInput = {}): ProvisionSettings {
  const s = { ...DEFAULT_PROVISION_SETTINGS, ...input };
  if (!(Number.isFinite(s.overlay) && s.overlay >= 0 && s.overlay <= 10))
    throw new DomainError('invalid_setting', 'overlay must be a number from 0 to 10', 'overlay');
  if (s.overlay !== 1 && !s.overlayReason?.trim())
    throw new DomainError('required', 'an overlay other than 1 needs its reason', 'overlayReason');
  if (s.method !== 'loss_rate' && s.method !== 'roll_rate')
    throw new DomainError('invalid_setting', 'method must be loss_rate or roll_rate', 'method');
  if (s.segmentBy !== 'none' && s.segmentBy !== 'segment')
    throw new DomainError('invalid_setting', 'segmentBy must be none or segment', 'segmentBy');
  const accounts = { ...DEFAULT_PROVISION_SETTINGS.accounts, ...input.accounts };
  return {
    lookbackMonths: whole(s.lookbackMonths, 'lookbackMonths', 1, 120),
    horizonMonths: whole(s.horizonMonths, 'horizonMonths', 1, 36),
    lossDaysPastDue: whole(s.lossDaysPastDue, 'lossDaysPastDue', 0, 3650),
    overlay: s.overlay,
    overlayReason: s.overlay === 1 && !s.overlayFromCycle ? null : (s.overlayReason?.trim() ?? null),
    overlayFromCycle: s.overlayFromCycle === true,
    method: s.method,
    segmentBy: s.segmentBy,
    accounts: {
      impairmentExpense: account(accounts.impairmentExpense, 'accounts.impairmentExpense'),
      lossAllowance: account(accounts.lossAllowance, 'accounts.lossAllowance'),
      receivables: account(accounts.receivables, 'accounts.receivables'),
    },
  };
}

/** Precision of a conversion factor: the rate of a large round amount. */
const RATE_PROBE = 1_000_000_000;

/** Minor units of `currency` per minor unit of each of `currencies`, at the rates of `asOf`. */
async function reportRates(
  executor: Executor,
  asOf: BusinessDate,
  currency: CurrencyCode,
  currencies: readonly string[],
): Promise<(from: string) => number> {
  const { toTarget, missing } = await converter(executor, asOf, currency, currencies);
  assertConverted(missing, currency, asOf);
  const rates = new Map<string, number>();
  return (from) => {
    let rate = rates.get(from);
    if (rate === undefined) {
      rate = from === currency ? 1 : toTarget(RATE_PROBE, from) / RATE_PROBE;
      rates.set(from, rate);
    }
    return rate;
  };
}

/**
 * Every invoice that may have been open at a month-end from `since` to `asOf`, with its payments and
 * credit notes up to `asOf` — nothing recorded for a later day is read. Amounts convert to `currency`
 * at the rate of `asOf`. `reductions`: read in one sequential scan of the ledger (`scan`, for a
 * window over most of the book) or through each invoice's index (`byInvoice`, for the few open at one date).
 */
export async function readReceivableHistories(
  executor: Executor,
  asOf: BusinessDate,
  since: BusinessDate,
  currency: CurrencyCode,
  reductions: 'scan' | 'byInvoice' = 'scan',
): Promise<ReceivableHistory[]> {
  const inScope = (i: string) =>
    sql<boolean>`(${sql.ref(`${i}.issue_date`)} || '') <= ${asOf} and (${sql.ref(`${i}.settled_on`)} is null or ${sql.ref(`${i}.settled_on`)} > ${since})`;
  const invoices: {
    id: string;
    customer_id: string;
    currency: string;
    amount_minor: number;
    issue_date: string;
    due_date: string;
  }[] = [];
  for await (const chunk of eachChunk(
    executor,
    sql<
      (typeof invoices)[number]
    >`select i.id, i.customer_id, i.currency, i.amount_minor, i.issue_date, i.due_date
     from invoices i where ${inScope('i')}`.compile(executor),
  ))
    for (const r of chunk) invoices.push(r);
  // Over most of the book, every payment applied and credit note issued by the as-of date is read in
  // one sequential scan each (`|| ''` keeps the date indexes out: nearly every row qualifies) and
  // matched to the invoices in memory — joining them in SQL visits the tables in random order,
  // seconds on a large book; the few that belong to invoices settled long ago are skipped.
  const query =
    reductions === 'scan'
      ? sql<{ invoice_id: string; on_day: string; amount_minor: number; write_off: number }>`
    select a.invoice_id, a.applied_on as on_day, a.amount_minor, 0 as write_off
      from allocations a where (a.applied_on || '') <= ${asOf}
    union all
    select c.invoice_id, c.issued_on as on_day, c.amount_minor, case when c.kind = 'write_off' then 1 else 0 end
      from credit_notes c where c.invoice_id is not null and (c.issued_on || '') <= ${asOf}`
      : // The invoices first, then each one's entries through its index (SQLite's cross join keeps
        // that order; the date index would otherwise drive the join over the whole ledger).
        sql<{ invoice_id: string; on_day: string; amount_minor: number; write_off: number }>`
    select a.invoice_id, a.applied_on as on_day, a.amount_minor, 0 as write_off
      from invoices i cross join allocations a
      where a.invoice_id = i.id and ${inScope('i')} and (a.applied_on || '') <= ${asOf}
    union all
    select c.invoice_id, c.issued_on as on_day, c.amount_minor, case when c.kind = 'write_off' then 1 else 0 end
      from invoices i cross join credit_notes c
      where c.invoice_id = i.id and ${inScope('i')} and (c.issued_on || '') <= ${asOf}`;
  const wanted = new Set(invoices.map((r) => r.id));
  const byInvoice = new Map<string, { on: BusinessDate; amountMinor: number; writeOff: boolean }[]>();
  for await (const chunk of eachChunk(executor, query.compile(executor)))
    for (const r of chunk) {
      if (!wanted.has(r.invoice_id)) continue;
      const list = byInvoice.get(r.invoice_id) ?? [];
      list.push({
        on: r.on_day as BusinessDate,
        amountMinor: Number(r.amount_minor),
        writeOff: Number(r.write_off) === 1,
      });
      byInvoice.set(r.invoice_id, list);
    }
  const rateOf = await reportRates(executor, asOf, currency, [...new Set(invoices.map((r) => r.currency))]);
  return invoices.map((r) => {
    const list = (byInvoice.get(r.id) ?? []).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
    const base = { amountMinor: Number(r.amount_minor), reductions: list };
    return {
      invoiceId: r.id,
      customerId: r.customer_id,
      currency: r.currency,
      issueDate: r.issue_date as BusinessDate,
      dueDate: r.due_date as BusinessDate,
      ...base,
      settledOn: settledOn(base),
      rate: rateOf(r.currency),
    };
  });
}

/**
 * The matrix as of `asOf`, from month-end totals: those kept by earlier runs while their months are
 * unchanged, the rest (a month-end just closed, one whose month changed, all on a first run)
 * computed from the histories since the earliest of them, and kept. Also the histories read, which
 * hold every invoice open at `asOf`; null when nothing needed reading. A segmented matrix learns
 * each segment from the whole window's histories.
 */
async function learnAsOf(
  executor: Executor,
  asOf: BusinessDate,
  currency: CurrencyCode,
  settings: ProvisionSettings,
  now: string,
) {
  const window = monthEnd(addMonths(asOf, -(settings.horizonMonths + settings.lookbackMonths + 1)));
  // Counted before anything is read: a write meanwhile leaves the kept totals one count behind.
  const changes = await ledgerChanges(executor);
  const kept = await keptTotals(executor, changes, { from: window, to: asOf }, (currencies) =>
    reportRates(executor, asOf, currency, currencies),
  );
  const learnt = learnMatrix(kept.sourceWith(null), asOf, settings);
  if (kept.missing.length === 0 && settings.segmentBy === 'none') return { learnt, histories: null };
  const earliest = [...kept.missing].sort()[0] ?? asOf;
  // What was open at a month-end was settled after it, if at all: nothing settled before is read.
  const since = settings.segmentBy === 'none' && earliest > window ? earliest : window;
  const histories = await readReceivableHistories(
    executor,
    asOf,
    since,
    currency,
    since > window ? 'byInvoice' : 'scan',
  );
  const relearnt = learnMatrix(kept.sourceWith(historySource(histories)), asOf, settings);
  await keepTotals(executor, kept.computed, changes, now);
  return { learnt: relearnt, histories };
}

export interface ProvisionResult {
  readonly asOf: BusinessDate;
  readonly currency: string;
  /** Collective (Σ buckets) plus specific provisions, net of insurance. */
  readonly reserveMinor: number;
  /** The collective reserve by aging bucket, customers assessed individually left out. */
  readonly buckets: {
    bucket: string;
    openMinor: number;
    lossRate: number;
    grossReserveMinor: number;
    coverReliefMinor: number;
    reserveMinor: number;
  }[];
  /** The matrix behind the rates: each bucket's summed balances and losses over the month-ends. */
  readonly matrix: {
    bucket: string;
    balanceMinor: number;
    lossMinor: number;
    historicalRate: number;
    lossRate: number;
  }[];
  /** The roll rates between buckets (roll-rate method only). */
  readonly rolls: { from: string; balanceMinor: number; rolledMinor: number; rate: number }[] | null;
  /** Per customer segment when segmented: each bucket's rate and whether the segment's own history gave it. */
  readonly segments:
    | { segment: string; matrix: { bucket: string; lossRate: number; source: 'segment' | 'book' }[] }[]
    | null;
  readonly specific: (SpecificReserve & { customerName: string })[];
  /** The customers carrying the largest reserves, with names. */
  readonly topCustomers: (CustomerReserve & { customerName: string })[];
  readonly coverReliefMinor: number;
  /** Null on runs kept before movements were computed. */
  readonly movement: ReserveMovement | null;
  readonly journal: JournalLine[];
  /** The month-ends whose losses were counted (each with a full horizon before `asOf`). */
  readonly monthEnds: BusinessDate[];
  /** The horizon the rates were learnt over: shorter than the setting on a young book. */
  readonly horizonMonthsUsed: number;
  readonly settings: ProvisionSettings;
}

const TOP_CUSTOMERS = 50;

/** A matrix per customer segment (customers.segment, which does not change with time: no look-ahead). */
async function bySegment(
  executor: Executor,
  histories: readonly ReceivableHistory[],
  asOf: BusinessDate,
  settings: ProvisionSettings,
  book: readonly BucketRate[],
) {
  const segment = new Map<string, string>();
  const ids = [...new Set(histories.map((h) => h.customerId))];
  for (const chunk of chunkOf(ids, 5_000))
    for (const c of await executor
      .selectFrom('customers')
      .select(['id', 'segment'])
      .where('id', 'in', chunk)
      .execute())
      segment.set(c.id, c.segment);
  const segmentOf = (customerId: string) => segment.get(customerId) ?? 'unknown';
  const matrices = segmentMatrices(histories, segmentOf, asOf, settings, book);
  return { matrices, ratesOf: (customerId: string) => matrices.get(segmentOf(customerId)) ?? book };
}

/** Write-offs of the whole book in (`after`, `upTo`], in the report currency at the rate of `upTo`. */
async function writtenOff(
  executor: Executor,
  after: BusinessDate | null,
  upTo: BusinessDate,
  currency: CurrencyCode,
) {
  let query = executor
    .selectFrom('credit_notes')
    .select(['currency', (eb) => eb.fn.sum<number>('amount_minor').as('sum')])
    .where('kind', '=', 'write_off')
    .where('issued_on', '<=', upTo)
    .groupBy('currency');
  if (after) query = query.where('issued_on', '>', after);
  const rows = await query.execute();
  const { toTarget, missing } = await converter(
    executor,
    upTo,
    currency,
    rows.map((r) => r.currency),
  );
  assertConverted(missing, currency, upTo);
  return rows.reduce((s, r) => s + toTarget(Number(r.sum), r.currency), 0);
}

/**
 * The expected-credit-loss reserve as of a date (IFRS 9 / CAS 22, simplified approach): the book's
 * aging as it stood then, times loss rates learnt from the month-ends whose horizon had fully
 * passed by then; credit-impaired customers assessed individually; each net of insurance cover.
 * Everything is read by business date up to `asOf`, so the same date gives the same figures
 * whatever was recorded about later days.
 */
export async function computeProvision(
  services: Services,
  asOfText: string,
  input: ProvisionSettingsInput = {},
): Promise<ProvisionResult> {
  const asOf = parseBusinessDate(asOfText, 'asOf');
  if (asOf > services.clock.today())
    throw new DomainError(
      'invalid_date',
      'asOf must not be after today: a reserve is for what is known',
      'asOf',
    );
  const { db } = services.store;
  if (input.overlayFromCycle && (input.overlay !== undefined || input.overlayReason !== undefined))
    throw new DomainError(
      'invalid_setting',
      'give an overlay by hand or take it from the economic cycle, not both',
      'overlayFromCycle',
    );
  const settings = provisionSettings(
    input.overlayFromCycle ? { ...input, ...(await cycleOverlay(db, asOf)) } : input,
  );
  const currency = await reportCurrency(db);
  const learning = await learnAsOf(db, asOf, currency, settings, services.clock.now().toISOString());
  const { learnt } = learning;
  // The reserve needs only what was open at the date: read through the invoices' indexes when the
  // matrix came from kept totals.
  const histories =
    learning.histories ?? (await readReceivableHistories(db, asOf, asOf, currency, 'byInvoice'));
  if (!learnt)
    throw new DomainError(
      'not_enough_history',
      `no month-end before ${asOf} held receivables whose losses could be seen: the loss rates need history`,
      'asOf',
    );
  const { covers, firstLossMinor } = await coversAsOf(db, asOf, histories, currency);
  const assessments = await assessmentsAsOf(db, asOf);
  const secured = await collateralOn(db, asOf, () => currency);
  const segments =
    settings.segmentBy === 'segment' ? await bySegment(db, histories, asOf, settings, learnt.matrix) : null;
  const reserve = bookReserve(histories, asOf, learnt.matrix, {
    covers,
    assessments,
    secured,
    firstLossMinor,
    ...(segments && { ratesOf: segments.ratesOf }),
  });
  const previous = await db
    .selectFrom('provision_runs')
    .select(['as_of', 'reserve_minor', 'currency'])
    .where('status', '=', 'final')
    .where('as_of', '<', asOf)
    .orderBy('as_of', 'desc')
    .orderBy('approved_at', 'desc')
    .executeTakeFirst();
  const opening =
    previous && previous.currency === currency
      ? { asOf: previous.as_of as BusinessDate, reserveMinor: Number(previous.reserve_minor) }
      : null;
  const movement = reserveMovement(
    opening,
    reserve.reserveMinor,
    await writtenOff(db, opening?.asOf ?? null, asOf, currency),
  );
  const top = reserve.customers.slice(0, TOP_CUSTOMERS);
  const names = await customerNames(
    db,
    [...top, ...reserve.specific].map((c) => c.customerId),
  );
  const named = <T extends { customerId: string }>(x: T) => ({
    ...x,
    customerName: names.get(x.customerId)?.name ?? x.customerId,
  });
  return {
    asOf,
    currency,
    reserveMinor: reserve.reserveMinor,
    buckets: reserve.buckets.map((l) => ({ ...l, bucket: bucketName(l.bucket) })),
    matrix: learnt.matrix.map((r) => ({ ...r, bucket: bucketName(r.bucket) })),
    rolls: learnt.rolls?.map((r) => ({ ...r, from: bucketName(r.from) })) ?? null,
    segments:
      segments &&
      [...segments.matrices].map(([segment, rates]) => ({
        segment,
        matrix: rates.map((r) => ({ bucket: bucketName(r.bucket), lossRate: r.lossRate, source: r.source })),
      })),
    specific: reserve.specific.map(named),
    topCustomers: top.map(named),
    coverReliefMinor:
      reserve.buckets.reduce((s, b) => s + b.coverReliefMinor, 0) +
      reserve.specific.reduce((s, b) => s + b.coverReliefMinor, 0),
    movement,
    journal: journalLines(movement, settings.accounts),
    monthEnds: learnt.monthEnds,
    horizonMonthsUsed: learnt.horizonMonthsUsed,
    settings,
  };
}

/** The run kept, as a draft for finance to approve (four eyes) before it is final. */
export async function recordProvisionRun(services: Services, actor: Actor, result: ProvisionResult) {
  const id = services.ids.next('prv');
  const now = services.clock.now().toISOString();
  await services.store.db.transaction().execute((trx) =>
    insertOneAudited(
      trx,
      'provision_runs',
      {
        id,
        as_of: result.asOf,
        currency: result.currency,
        reserve_minor: result.reserveMinor,
        result_json: JSON.stringify(result),
        status: 'draft',
        created_by: actor,
        created_at: now,
        approved_by: null,
        approved_at: null,
      },
      (row) => ({ id: row.id, asOf: row.as_of, reserveMinor: row.reserve_minor, status: row.status }),
      { actor, now, action: 'provision_run.created' },
    ),
  );
  return { id, status: 'draft' as const };
}

function runRecord(row: Selectable<ProvisionRunTable>) {
  return {
    id: row.id,
    asOf: row.as_of,
    currency: row.currency,
    reserveMinor: Number(row.reserve_minor),
    status: row.status as 'draft' | 'final',
    createdBy: row.created_by,
    createdAt: row.created_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
  };
}

export async function listProvisionRuns(services: Services) {
  const rows = await services.store.db
    .selectFrom('provision_runs')
    .selectAll()
    .orderBy('as_of', 'desc')
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  return { items: rows.map(runRecord) };
}

export async function provisionRun(services: Services, id: string) {
  const row = await services.store.db
    .selectFrom('provision_runs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DomainError('provision_run_not_found', `no provision run ${id}`);
  return { ...runRecord(row), result: storedResult(row.result_json) };
}

/** A kept result as the current shape: runs kept before a field existed show it empty, not invented. */
function storedResult(json: string): ProvisionResult {
  const r = JSON.parse(json) as Partial<ProvisionResult> & Pick<ProvisionResult, 'buckets' | 'settings'>;
  return {
    ...r,
    buckets: r.buckets.map(
      (
        b: Partial<ProvisionResult['buckets'][number]> &
          Pick<ProvisionResult['buckets'][number], 'reserveMinor'>,
      ) => ({
        ...b,
        grossReserveMinor: b.grossReserveMinor ?? b.reserveMinor,
        coverReliefMinor: b.coverReliefMinor ?? 0,
      }),
    ),
    rolls: r.rolls ?? null,
    segments: r.segments ?? null,
    specific: r.specific ?? [],
    topCustomers: r.topCustomers ?? [],
    coverReliefMinor: r.coverReliefMinor ?? 0,
    movement: r.movement ?? null,
    journal: r.journal ?? [],
    settings: { ...DEFAULT_PROVISION_SETTINGS, ...r.settings },
  } as ProvisionResult;
}

/** A run's journal lines, with major-unit amounts for the ledger. */
export async function provisionJournal(services: Services, id: string) {
  const run = await provisionRun(services, id);
  const currency = run.currency as CurrencyCode;
  return {
    items: run.result.journal.map((line) => ({
      runId: run.id,
      asOf: run.asOf,
      currency,
      ...line,
      debit: formatMajorAmount(line.debitMinor, currency),
      credit: formatMajorAmount(line.creditMinor, currency),
    })),
  };
}

/** A run's reserve by customer: the individually assessed first, then the largest collective ones. */
export async function provisionCustomers(services: Services, id: string) {
  const { result } = await provisionRun(services, id);
  const specific = result.specific.map((s) => ({
    customerId: s.customerId,
    customerName: s.customerName,
    openMinor: s.openMinor,
    method: 'specific' as const,
    coverReliefMinor: s.coverReliefMinor,
    reserveMinor: s.reserveMinor,
  }));
  return { items: [...specific, ...result.topCustomers.filter((c) => c.method === 'collective')] };
}

/**
 * Each final run against what followed: the losses (the default definition of its settings) on
 * what was open at its date, within the 12 months after it — or up to today, said so.
 */
export async function provisionBacktest(services: Services) {
  const { db } = services.store;
  const rows = await db
    .selectFrom('provision_runs')
    .selectAll()
    .where('status', '=', 'final')
    .orderBy('as_of')
    .execute();
  const first = rows[0];
  if (!first) return { currency: null, items: [] };
  const today = services.clock.today();
  const currency = await reportCurrency(db);
  const histories = await readReceivableHistories(
    db,
    today,
    monthEnd(addMonths(first.as_of as BusinessDate, -1)),
    currency,
  );
  const runs = rows
    .filter((row) => row.currency === currency)
    .map((row) => {
      const result = storedResult(row.result_json);
      return {
        id: row.id,
        asOf: row.as_of as BusinessDate,
        // Losses as the run itself defined them, over the 12 months after it.
        settings: { ...result.settings, horizonMonths: 12 },
        buckets: result.buckets.map((b) => ({
          bucket: `${b.bucket}Minor` as AgingBucket,
          reserveMinor: b.reserveMinor,
        })),
        specificMinor: result.specific.reduce((s, x) => s + x.reserveMinor, 0),
        specificCustomerIds: new Set(result.specific.map((x) => x.customerId)),
      };
    });
  const tested = runs.flatMap(({ settings, ...run }) => reserveBacktest(histories, [run], today, settings));
  return {
    currency,
    items: tested.map((t) => ({
      ...t,
      buckets: t.buckets.map((b) => ({ ...b, bucket: bucketName(b.bucket) })),
    })),
  };
}

/**
 * Finance makes a draft final, never its own (four eyes). A final run is never changed: a
 * correction is a new run.
 */
export async function approveProvisionRun(services: Services, approver: Actor, id: string, note: string) {
  const reason = requireText(note, 'note', 1000);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await forUpdate(
      trx.selectFrom('provision_runs').selectAll().where('id', '=', id),
      services.store.dialect,
    ).executeTakeFirst();
    if (!before) throw new DomainError('provision_run_not_found', `no provision run ${id}`);
    if (before.status !== 'draft')
      throw new DomainError('provision_run_final', 'this run is final: a correction is a new run');
    if (before.created_by === approver)
      throw new DomainError('four_eyes_violation', 'the one who ran it cannot approve it');
    const after = { ...before, status: 'final', approved_by: approver, approved_at: now };
    await trx
      .updateTable('provision_runs')
      .set({ status: 'final', approved_by: approver, approved_at: now })
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, approver, now, [
      {
        action: 'provision_run.approved',
        entityType: 'provision_run',
        entityId: id,
        before: runRecord(before),
        after: { ...runRecord(after), note: reason },
      },
    ]);
    return runRecord(after);
  });
}
