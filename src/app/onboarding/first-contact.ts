import type { SignalType } from '../../core/external-data/signals.js';
import type { Severity } from '../../core/monitoring/warning-rules.js';
import { firstContactReasons, type ScreenFacts, worstOutcome } from '../../core/onboarding/pre-screen.js';
import { type BusinessDate, daysBetween } from '../../core/time/business-date.js';
import { chunkOf, type Executor } from '../../store/write.js';

export interface ScreenSubject {
  readonly registrationId: string | null;
  readonly name: string;
}

/**
 * What the book already knows about each buyer, in the order given: a blacklisted twin (same
 * registration id, or else the same name) and outside signals recorded on its registration id.
 */
export async function screeningFacts(
  executor: Executor,
  subjects: readonly ScreenSubject[],
  today: BusinessDate,
): Promise<ScreenFacts[]> {
  // The blacklist is short beside the book: read once, matched in memory.
  const listedById = new Map<string, string>();
  const listedByName = new Map<string, string>();
  const listed = await executor
    .selectFrom('customers as c')
    .innerJoin('credit_profiles as p', 'p.customer_id', 'c.id')
    .select(['c.name', 'c.registration_id'])
    .where('p.blacklisted', '=', 1)
    .execute();
  for (const c of listed) {
    if (c.registration_id) listedById.set(c.registration_id, c.name);
    listedByName.set(c.name, c.name);
  }
  const signalsById = new Map<string, ScreenFacts['signals'][number][]>();
  for (const chunk of chunkOf([...subjects], 400)) {
    const ids = chunk.map((s) => s.registrationId).filter((id): id is string => id !== null);
    if (ids.length === 0) continue;
    const signals = await executor
      .selectFrom('external_signals as s')
      .innerJoin('customers as c', 'c.id', 's.customer_id')
      .select(['c.registration_id', 's.signal_type', 's.severity', 's.occurred_on'])
      .where('c.registration_id', 'in', ids)
      .where('s.occurred_on', '<=', today)
      .execute();
    for (const s of signals) {
      const list = signalsById.get(s.registration_id as string) ?? [];
      list.push({
        signalType: s.signal_type as SignalType,
        severity: s.severity as Severity,
        daysAgo: daysBetween(s.occurred_on as BusinessDate, today),
      });
      signalsById.set(s.registration_id as string, list);
    }
  }
  return subjects.map((s) => {
    const byId = s.registrationId ? listedById.get(s.registrationId) : undefined;
    const byName = listedByName.get(s.name);
    return {
      blacklisted: byId
        ? { by: 'registration_id' as const, customerName: byId }
        : byName
          ? { by: 'name' as const, customerName: byName }
          : null,
      signals: s.registrationId ? (signalsById.get(s.registrationId) ?? []) : [],
    };
  });
}

/**
 * Every new customer is screened at first contact, however it arrives (API, import, application):
 * what the book already knows about it → proceed / proceed_with_conditions / decline. Kept on its
 * credit profile; while it is unrated and nobody has reviewed it, the order check reads it.
 */
export async function firstContactScreens(
  executor: Executor,
  subjects: readonly ScreenSubject[],
  today: BusinessDate,
) {
  return (await screeningFacts(executor, subjects, today)).map((facts) => {
    const reasons = firstContactReasons(facts);
    return { outcome: worstOutcome(reasons), reasons: reasons.map(({ condition: _, ...r }) => r) };
  });
}
