import type { CohortSource, CohortTotal, RollTotal } from '../../core/provisions/cohort-source.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { chunkOf, type Executor } from '../../store/write.js';

/** Totals of one month-end (or one pair of month-ends), as kept. */
export interface KeptTotals {
  readonly kind: 'loss' | 'roll';
  readonly monthEnd: BusinessDate;
  /** The horizon end (loss) or the next month-end (roll): nothing dated after it went in. */
  readonly untilDay: BusinessDate;
  readonly lossDaysPastDue: number;
  readonly totals: readonly (CohortTotal | RollTotal)[];
}

const keyOf = (kind: string, monthEnd: string, untilDay: string, lossDaysPastDue: number) =>
  `${kind} ${monthEnd} ${untilDay} ${lossDaysPastDue}`;

/** How many ledger rows dated up to a day were ever inserted, deleted or edited (counted by triggers). */
export type ChangesUpTo = (day: BusinessDate) => number;

export async function ledgerChanges(executor: Executor): Promise<ChangesUpTo> {
  const rows = await executor
    .selectFrom('ledger_month_changes')
    .select(['month', (eb) => eb.fn.sum<number>('changes').as('changes')])
    .groupBy('month')
    .execute();
  return (day) => {
    const month = day.slice(0, 7);
    let changes = 0;
    for (const r of rows) if (r.month <= month) changes += Number(r.changes);
    return changes;
  };
}

/**
 * The kept totals whose months have not changed since they were computed. `sourceWith(null)` answers
 * what it holds and notes the month-ends it lacks (never computed, or their months changed) in
 * `missing`; `sourceWith(histories)` computes those from the histories — which need to reach back
 * only to the earliest missing month-end — and notes them in `computed`, to be kept.
 */
export async function keptTotals(
  executor: Executor,
  changesUpTo: ChangesUpTo,
  between: { from: BusinessDate; to: BusinessDate },
  ratesFor: (currencies: readonly string[]) => Promise<(currency: string) => number>,
) {
  const rows = await executor
    .selectFrom('provision_month_totals')
    .select(['kind', 'month_end', 'until_day', 'loss_days_past_due', 'changes_seen', 'totals_json'])
    .where('month_end', '>=', between.from)
    .where('until_day', '<=', between.to)
    .execute();
  const valid = new Map<string, (CohortTotal | RollTotal)[]>();
  for (const r of rows)
    if (Number(r.changes_seen) === changesUpTo(r.until_day as BusinessDate))
      valid.set(keyOf(r.kind, r.month_end, r.until_day, r.loss_days_past_due), JSON.parse(r.totals_json));
  const currencies = new Set([...valid.values()].flatMap((totals) => totals.map((t) => t.currency)));
  const keptRate = await ratesFor([...currencies]);
  const missing: BusinessDate[] = [];
  const computed: KeptTotals[] = [];

  const sourceWith = (histories: CohortSource | null): CohortSource => ({
    lossCohorts(spans, lossDaysPastDue) {
      const found = spans.map((s) => valid.get(keyOf('loss', s.monthEnd, s.horizonEnd, lossDaysPastDue)));
      const lacking = spans.filter((_, i) => !found[i]);
      missing.push(...lacking.map((s) => s.monthEnd));
      const fresh = histories && lacking.length > 0 ? histories.lossCohorts(lacking, lossDaysPastDue) : [];
      if (histories)
        for (const [j, s] of lacking.entries())
          computed.push({
            kind: 'loss',
            monthEnd: s.monthEnd,
            untilDay: s.horizonEnd,
            lossDaysPastDue,
            totals: fresh[j] ?? [],
          });
      let j = 0;
      return found.map((totals) => (totals ?? fresh[j++] ?? []) as CohortTotal[]);
    },
    rollCohorts(monthEnds) {
      const found = monthEnds
        .slice(1)
        .map((next, k) => valid.get(keyOf('roll', monthEnds[k] as string, next, 0)));
      const lacking = found.flatMap((totals, k) => (totals ? [] : [k]));
      missing.push(...lacking.map((k) => monthEnds[k] as BusinessDate));
      // One pass for every pair; only the lacking ones are taken (the histories may not reach the others).
      const fresh = histories && lacking.length > 0 ? histories.rollCohorts(monthEnds) : [];
      if (histories)
        for (const k of lacking)
          computed.push({
            kind: 'roll',
            monthEnd: monthEnds[k] as BusinessDate,
            untilDay: monthEnds[k + 1] as BusinessDate,
            lossDaysPastDue: 0,
            totals: fresh[k] ?? [],
          });
      return found.map((totals, k) => (totals ?? fresh[k] ?? []) as RollTotal[]);
    },
    rateOf: (currency) =>
      currencies.has(currency) || !histories ? keptRate(currency) : histories.rateOf(currency),
  });
  return { sourceWith, missing, computed };
}

/**
 * Keeps what a run computed, each with the change count of its months as read before the histories
 * were (a write in between makes the count move on, and the totals are recomputed next time).
 */
export async function keepTotals(
  executor: Executor,
  answered: readonly KeptTotals[],
  changesUpTo: ChangesUpTo,
  now: string,
) {
  const unique = new Map(answered.map((a) => [keyOf(a.kind, a.monthEnd, a.untilDay, a.lossDaysPastDue), a]));
  for (const chunk of chunkOf([...unique.values()], 200))
    await executor
      .insertInto('provision_month_totals')
      .values(
        chunk.map((a) => ({
          kind: a.kind,
          month_end: a.monthEnd,
          until_day: a.untilDay,
          loss_days_past_due: a.lossDaysPastDue,
          changes_seen: changesUpTo(a.untilDay),
          totals_json: JSON.stringify(a.totals),
          computed_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['kind', 'month_end', 'until_day', 'loss_days_past_due']).doUpdateSet((eb) => ({
          changes_seen: eb.ref('excluded.changes_seen'),
          totals_json: eb.ref('excluded.totals_json'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
}
