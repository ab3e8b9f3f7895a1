import { requireText } from '../../core/customers/customer.js';
import {
  type CycleReading,
  DEFAULT_CYCLE,
  type Regime,
  readingOn,
  regimeOf,
} from '../../core/cycle/regime.js';
import { DomainError } from '../../core/errors.js';
import type { CreditPolicyDocument } from '../../core/policy/types.js';
import { type BusinessDate, fromEpochDay } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { Executor } from '../../store/write.js';
import { activePolicy } from '../credit/policies.js';
import { BatchRejected, type RowError } from '../row-errors.js';
import type { Actor, Services } from '../services.js';

/** Indices are small numbers (a PMI is near 50); anything past this is a mistake, not a reading. */
const MAX_READING = 1_000_000;

export interface CycleReadingInput {
  readonly month: string;
  readonly value: number;
  readonly source?: string;
}

/** One reading checked, each field named when wrong. */
export function validateCycleReading(input: CycleReadingInput): CycleReading & { source: string } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month ?? ''))
    throw new DomainError('invalid_month', 'month must be YYYY-MM', 'month');
  if (
    !(typeof input.value === 'number' && Number.isFinite(input.value) && Math.abs(input.value) <= MAX_READING)
  )
    throw new DomainError(
      'invalid_value',
      `value must be a number from -${MAX_READING} to ${MAX_READING}`,
      'value',
    );
  return {
    month: input.month,
    value: input.value,
    source: requireText(input.source ?? 'manual', 'source', 100),
  };
}

/**
 * Records monthly readings of the cycle indicator (a PMI, a business-climate index), all or none,
 * every row's problem in one pass; a month read again is replaced (a revised figure), audited.
 */
export async function recordCycleReadings(
  services: Services,
  actor: Actor,
  inputs: readonly CycleReadingInput[],
) {
  const errors: RowError[] = [];
  const valid = inputs.map((input, index) => {
    try {
      return validateCycleReading(input);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push({ index, field: error.field, code: error.code, message: error.message });
      return null;
    }
  });
  if (errors.length > 0) throw new BatchRejected(errors);
  const now = services.clock.now().toISOString();
  await services.store.db.transaction().execute(async (trx) => {
    for (const r of valid as (CycleReading & { source: string })[]) {
      const before = await trx
        .selectFrom('cycle_readings')
        .selectAll()
        .where('month', '=', r.month)
        .executeTakeFirst();
      if (before) await trx.deleteFrom('cycle_readings').where('month', '=', r.month).execute();
      await trx
        .insertInto('cycle_readings')
        .values({ month: r.month, value: r.value, source: r.source, recorded_by: actor, recorded_at: now })
        .execute();
      await appendAudit(trx, actor, now, [
        {
          action: before ? 'cycle_reading.revised' : 'cycle_reading.recorded',
          entityType: 'cycle_reading',
          entityId: r.month,
          before: before ? { value: Number(before.value), source: before.source } : null,
          after: { value: r.value, source: r.source },
        },
      ]);
    }
  });
  return { recorded: valid.length };
}

async function series(executor: Executor) {
  const rows = await executor.selectFrom('cycle_readings').selectAll().orderBy('month').execute();
  return rows.map((r) => ({ month: r.month, value: Number(r.value), source: r.source }));
}

/** The series with each month's regime under the active policy's thresholds, and where the cycle stands on `day`. */
export async function economicCycle(executor: Executor, day: BusinessDate) {
  const cycle = (await activePolicy(executor)).document.cycle ?? DEFAULT_CYCLE;
  const readings = await series(executor);
  const now = readingOn(readings, day);
  return {
    settings: cycle,
    current: now
      ? { ...now, regime: regimeOf(now.value, cycle), pdScale: cycle.pdScale[regimeOf(now.value, cycle)] }
      : null,
    items: readings.map((r) => ({ ...r, regime: regimeOf(r.value, cycle) })),
  };
}

/**
 * The forward-looking overlay of a reserve as of `day` from the cycle: the PD scale of the regime
 * the latest reading by then falls in, with its reason in words.
 */
export async function cycleOverlay(executor: Executor, day: BusinessDate) {
  const { current, settings } = await economicCycle(executor, day);
  if (!current)
    throw new DomainError(
      'no_cycle_reading',
      `no reading of the cycle indicator for ${day.slice(0, 7)} or before`,
      'overlayFromCycle',
    );
  return {
    overlay: current.pdScale,
    overlayReason: `economic cycle: ${current.regime} (indicator ${current.value} for ${current.month}; contraction below ${settings.contractionBelow}, expansion above ${settings.expansionAbove})`,
  };
}

/** The regime in force on each day under the active policy's settings, and its PD scale (1 before any reading). */
export async function cycleByDay(
  executor: Executor,
): Promise<(day: number) => { regime: Regime | null; pdScale: number }> {
  const { items, settings } = await economicCycle(executor, '9999-12-31' as BusinessDate);
  const byMonth = new Map<string, { regime: Regime | null; pdScale: number }>();
  return (day) => {
    const date = fromEpochDay(day);
    const month = date.slice(0, 7);
    let known = byMonth.get(month);
    if (known === undefined) {
      const reading = readingOn(items, date);
      known = reading
        ? { regime: reading.regime, pdScale: settings.pdScale[reading.regime] }
        : { regime: null, pdScale: 1 };
      byMonth.set(month, known);
    }
    return known;
  };
}

/**
 * The regime on `day` for the live check — only when the policy overrides anything by regime, so
 * a book without overrides pays no read for it; null with no reading yet.
 */
export async function regimeIfOverridden(
  executor: Executor,
  policy: CreditPolicyDocument,
  day: BusinessDate,
): Promise<Regime | null> {
  const cycle = policy.cycle;
  if (!cycle?.overrides || Object.keys(cycle.overrides).length === 0) return null;
  const latest = await executor
    .selectFrom('cycle_readings')
    .select(['month', 'value'])
    .where('month', '<=', day.slice(0, 7))
    .orderBy('month', 'desc')
    .limit(1)
    .executeTakeFirst();
  return latest ? regimeOf(Number(latest.value), cycle) : null;
}
