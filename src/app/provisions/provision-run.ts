import { type Selectable, sql } from 'kysely';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import {
  type CohortItem,
  DEFAULT_PROVISION_SETTINGS,
  type ProvisionSettings,
  provisionMatrix,
  reserveFor,
} from '../../core/provisions/provision-matrix.js';
import type { AgingBucket } from '../../core/receivables/aging.js';
import { addMonths, type BusinessDate, monthEnd, parseBusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { ProvisionRunTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';
import { assertConverted, converter, reportCurrency } from '../credit/fx-rates.js';
import { bookAging } from '../receivables/receivables-report.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';

/** A bucket as the contract names it: the aging field without `Minor`. */
const bucketName = (bucket: AgingBucket) => bucket.replace(/Minor$/, '');

function whole(value: unknown, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    throw new DomainError('invalid_setting', `${field} must be a whole number from ${min} to ${max}`, field);
  return value as number;
}

/** Settings as given (any omitted takes its default), each checked and named when wrong. */
export function provisionSettings(input: Partial<ProvisionSettings> = {}): ProvisionSettings {
  const s = { ...DEFAULT_PROVISION_SETTINGS, ...input };
  if (!(Number.isFinite(s.overlay) && s.overlay >= 0 && s.overlay <= 10))
    throw new DomainError('invalid_setting', 'overlay must be a number from 0 to 10', 'overlay');
  if (s.overlay !== 1 && !s.overlayReason?.trim())
    throw new DomainError('required', 'an overlay other than 1 needs its reason', 'overlayReason');
  return {
    lookbackMonths: whole(s.lookbackMonths, 'lookbackMonths', 1, 120),
    horizonMonths: whole(s.horizonMonths, 'horizonMonths', 1, 36),
    lossDaysPastDue: whole(s.lossDaysPastDue, 'lossDaysPastDue', 0, 3650),
    overlay: s.overlay,
    overlayReason: s.overlay === 1 ? null : (s.overlayReason?.trim() ?? null),
  };
}

/** Every invoice open at `monthEnd`, with its write-offs up to `horizonEnd` and what was open then. */
async function cohortRows(executor: Executor, monthEndDate: BusinessDate, horizonEnd: BusinessDate) {
  const openAt = (day: BusinessDate) => sql<number>`(i.amount_minor
      - coalesce((select sum(a.amount_minor) from allocations a where a.invoice_id = i.id and a.applied_on <= ${day}), 0)
      - coalesce((select sum(c.amount_minor) from credit_notes c where c.invoice_id = i.id and c.issued_on <= ${day}), 0))`;
  const result = await sql<{
    currency: string;
    due_date: string;
    open_m: number;
    written_off: number;
    open_h: number;
  }>`
    select i.currency, i.due_date, ${openAt(monthEndDate)} as open_m,
      coalesce((select sum(c.amount_minor) from credit_notes c where c.invoice_id = i.id and c.kind = 'write_off'
        and c.issued_on > ${monthEndDate} and c.issued_on <= ${horizonEnd}), 0) as written_off,
      ${openAt(horizonEnd)} as open_h
    from invoices i
    where i.issue_date <= ${monthEndDate} and (i.settled_on is null or i.settled_on > ${monthEndDate})`.execute(
    executor,
  );
  return result.rows;
}

/** Month-ends with receivables needed before the horizon is left as set. */
const MIN_COHORTS = 3;

/** The month-ends of the look-back window whose horizon ends by `asOf`, each with its invoices. */
async function readCohorts(
  executor: Executor,
  asOf: BusinessDate,
  lookbackMonths: number,
  horizonMonths: number,
) {
  const cohorts = [];
  for (let k = 0; k < lookbackMonths; k++) {
    const m = monthEnd(addMonths(asOf, -horizonMonths - k));
    const horizonEnd = monthEnd(addMonths(m, horizonMonths));
    if (horizonEnd > asOf) continue;
    cohorts.push({ monthEnd: m, horizonEnd, rows: await cohortRows(executor, m, horizonEnd) });
  }
  return cohorts;
}

export interface ProvisionResult {
  readonly asOf: BusinessDate;
  readonly currency: string;
  readonly reserveMinor: number;
  readonly buckets: { bucket: string; openMinor: number; lossRate: number; reserveMinor: number }[];
  /** The matrix behind the rates: each bucket's summed balances and losses over the month-ends. */
  readonly matrix: {
    bucket: string;
    balanceMinor: number;
    lossMinor: number;
    historicalRate: number;
    lossRate: number;
  }[];
  /** The month-ends whose losses were counted (each with a full horizon before `asOf`). */
  readonly monthEnds: BusinessDate[];
  /** The horizon the rates were learnt over: shorter than the setting on a young book. */
  readonly horizonMonthsUsed: number;
  readonly settings: ProvisionSettings;
}

/**
 * The expected-credit-loss reserve as of a date (IFRS 9 / CAS 22, simplified approach): the book's
 * aging as it stood then, times loss rates learnt from the month-ends whose horizon had fully
 * passed by then. Everything is read by business date up to `asOf`, so the same date gives the same
 * figures whatever was recorded about later days.
 */
export async function computeProvision(
  services: Services,
  asOfText: string,
  input: Partial<ProvisionSettings> = {},
): Promise<ProvisionResult> {
  const asOf = parseBusinessDate(asOfText, 'asOf');
  if (asOf > services.clock.today())
    throw new DomainError(
      'invalid_date',
      'asOf must not be after today: a reserve is for what is known',
      'asOf',
    );
  const settings = provisionSettings(input);
  const { db } = services.store;
  const currency = await reportCurrency(db);
  // A young book has few month-ends whose full horizon has passed: the horizon is shortened until
  // three of them held receivables (recorded as horizonMonthsUsed), never reaching past asOf.
  let horizon = settings.horizonMonths;
  let cohortsRead = await readCohorts(db, asOf, settings.lookbackMonths, horizon);
  while (horizon > 1 && cohortsRead.filter((c) => c.rows.length > 0).length < MIN_COHORTS) {
    horizon -= 1;
    cohortsRead = await readCohorts(db, asOf, settings.lookbackMonths, horizon);
  }
  const raw = cohortsRead.filter((c) => c.rows.length > 0);
  if (raw.length === 0)
    throw new DomainError(
      'not_enough_history',
      `no month-end before ${asOf} held receivables whose losses could be seen: the loss rates need history`,
      'asOf',
    );
  const monthEnds = raw.map((c) => c.monthEnd);
  const currencies = new Set(raw.flatMap((c) => c.rows.map((r) => r.currency)));
  const cohorts = [];
  const { toTarget, missing } = await converter(db, asOf, currency, [...currencies]);
  assertConverted(missing, currency, asOf);
  for (const { monthEnd: m, horizonEnd, rows } of raw)
    cohorts.push({
      monthEnd: m,
      horizonEnd,
      items: rows.map(
        (r): CohortItem => ({
          dueDate: r.due_date as BusinessDate,
          openMinor: toTarget(Number(r.open_m), r.currency),
          writtenOffMinor: toTarget(Number(r.written_off), r.currency),
          openAtHorizonMinor: toTarget(Number(r.open_h), r.currency),
        }),
      ),
    });
  const matrix = provisionMatrix(cohorts, settings);
  const aging = await bookAging(db, asOf);
  const lines = reserveFor(aging.buckets, matrix);
  return {
    asOf,
    currency,
    reserveMinor: lines.reduce((sum, l) => sum + l.reserveMinor, 0),
    buckets: lines.map((l) => ({ ...l, bucket: bucketName(l.bucket) })),
    matrix: matrix.map((r) => ({ ...r, bucket: bucketName(r.bucket) })),
    monthEnds,
    horizonMonthsUsed: horizon,
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
  return { ...runRecord(row), result: JSON.parse(row.result_json) as ProvisionResult };
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
