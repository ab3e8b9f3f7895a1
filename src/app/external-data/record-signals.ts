import { compactRegistrationId } from '../../core/customers/registration-id.js';
import { DomainError } from '../../core/errors.js';
import { type SignalInput, type ValidSignal, validateSignal } from '../../core/external-data/signals.js';
import { appendAudit } from '../../store/audit.js';
import type { ExternalSignalTable } from '../../store/schema.js';
import { chunkOf } from '../../store/write.js';
import { runMonitoring } from '../monitoring/monitoring-run.js';
import { resolveCustomerIds } from '../receivables/resolve-customers.js';
import { BatchRejected, type RowError } from '../row-errors.js';
import type { Actor, Services } from '../services.js';

export function signalRecord(row: ExternalSignalTable) {
  return {
    id: row.id,
    customerId: row.customer_id,
    source: row.source,
    sourceRef: row.source_ref,
    signalType: row.signal_type,
    severity: row.severity,
    occurredOn: row.occurred_on,
    amountMinor: row.amount_minor,
    currency: row.currency,
    summary: row.summary,
    receivedAt: row.received_at,
    receivedBy: row.received_by,
  };
}

/**
 * Records what a provider (a file drop, the API, a connector) reported about buyers (A7): every row
 * checked first (one pass reports them all, nothing written on any error), each buyer found by
 * registration id, external id or id; a fact already kept from that source (same reference) is
 * counted as unchanged, never doubled. The buyers it touched are then watched again at once, so a
 * dishonest-debtor listing raises its alert without waiting for the night.
 */
export async function recordSignals(services: Services, actor: Actor, inputs: readonly SignalInput[]) {
  const errors: RowError[] = [];
  // Every problem of every row in one pass: the fields first, then the buyer each names.
  const attempt = <T>(index: number, work: () => T): T | null => {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push({ index, field: error.field, code: error.code, message: error.message });
      return null;
    }
  };
  const checked = inputs.map((input, index) => attempt(index, () => validateSignal(input)));
  const { db } = services.store;
  const byId = await resolveCustomerIds(
    db,
    inputs.filter((i) => !i.registrationId),
  );
  const registrations = [
    ...new Set(inputs.flatMap((i) => (i.registrationId ? [compactRegistrationId(i.registrationId)] : []))),
  ];
  const byRegistration = new Map<string, string>();
  for (const ids of chunkOf(registrations, 500))
    for (const r of await db
      .selectFrom('customers')
      .select(['id', 'registration_id'])
      .where('registration_id', 'in', ids)
      .execute())
      byRegistration.set(r.registration_id as string, r.id);
  const customerIds = inputs.map((input, index) =>
    attempt(index, () => {
      if (!input.registrationId) return byId(input);
      const id = byRegistration.get(compactRegistrationId(input.registrationId));
      if (id) return id;
      throw new DomainError(
        'unknown_customer',
        `no customer has registration id "${input.registrationId}"`,
        'registrationId',
      );
    }),
  );
  if (errors.length > 0) throw new BatchRejected(errors.sort((x, y) => x.index - y.index));
  const valid = checked as ValidSignal[];

  const now = services.clock.now().toISOString();
  const written = await db.transaction().execute(async (trx) => {
    const known = new Set<string>();
    const key = (source: string, ref: string) => `${source}\n${ref}`;
    for (const refs of chunkOf([...new Set(valid.map((v) => v.sourceRef))], 500))
      for (const r of await trx
        .selectFrom('external_signals')
        .select(['source', 'source_ref'])
        .where('source_ref', 'in', refs)
        .execute())
        known.add(key(r.source, r.source_ref));
    const rows: ExternalSignalTable[] = [];
    valid.forEach((v, index) => {
      if (known.has(key(v.source, v.sourceRef))) return;
      known.add(key(v.source, v.sourceRef));
      rows.push({
        id: services.ids.next('sig'),
        customer_id: customerIds[index] as string,
        source: v.source,
        source_ref: v.sourceRef,
        signal_type: v.signalType,
        severity: v.severity,
        occurred_on: v.occurredOn,
        amount_minor: v.amountMinor,
        currency: v.currency,
        summary: v.summary,
        received_at: now,
        received_by: actor,
      });
    });
    for (const chunk of chunkOf(rows, 200)) await trx.insertInto('external_signals').values(chunk).execute();
    await appendAudit(
      trx,
      actor,
      now,
      rows.map((r) => ({
        action: 'external_signal.received',
        entityType: 'external_signal',
        entityId: r.id,
        before: null,
        after: signalRecord(r),
      })),
    );
    return rows;
  });
  const touched = [...new Set(written.map((r) => r.customer_id))];
  const monitoring = touched.length > 0 ? await runMonitoring(services, actor, undefined, touched) : null;
  return {
    received: written.length,
    unchanged: valid.length - written.length,
    alertsRaised: monitoring?.raised ?? 0,
  };
}

/** A customer's signals, newest first: the outside timeline on the customer 360. */
export async function customerSignals(services: Services, customerId: string) {
  const rows = await services.store.db
    .selectFrom('external_signals')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('occurred_on', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  return { items: rows.map(signalRecord) };
}
