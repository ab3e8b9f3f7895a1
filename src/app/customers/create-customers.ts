import { type CustomerInput, requireText, validateCustomer } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { appendAudit } from '../../store/audit.js';
import { type CustomerRecord, customerRecord, groupRecord } from '../../store/records.js';
import { type Executor, translateConstraintError } from '../../store/write.js';
import { insertDefaultProfiles } from '../credit/profile-rows.js';
import { idsByExternalId } from '../lookup.js';
import { firstContactScreens } from '../onboarding/first-contact.js';
import { validateRows } from '../row-errors.js';
import type { Actor, Progress, Services } from '../services.js';
import { insertAudited, rejectTakenExternalIds } from '../write-records.js';

export interface NewCustomer extends CustomerInput {
  /** An existing group's id (HTTP). */
  readonly groupId?: string | null;
  /** A group's external id (imports): created, named after the id, when it does not exist yet. */
  readonly groupExternalId?: string | null;
}

/**
 * Creates customers all-or-nothing: every row is validated first (all errors reported as one
 * BatchRejected), then all are written with their audit events in one transaction.
 */
export async function createCustomers(
  services: Services,
  actor: Actor,
  inputs: readonly NewCustomer[],
  onProgress?: Progress,
): Promise<CustomerRecord[]> {
  const valid = validateRows(inputs, (input) => ({
    ...validateCustomer(input),
    groupId: input.groupId ?? null,
    groupExternalId: input.groupExternalId?.trim()
      ? requireText(input.groupExternalId, 'groupExternalId', 100)
      : null,
  }));
  const now = services.clock.now().toISOString();
  return services.store.db
    .transaction()
    .execute(async (trx) => {
      await rejectTakenExternalIds(
        trx,
        'customers',
        valid.map((c) => c.externalId),
      );
      await assertGroupsExist(
        trx,
        valid.map((c) => c.groupId).filter((id): id is string => id !== null),
      );
      const groupIds = await ensureGroups(
        services,
        trx,
        actor,
        now,
        valid.map((c) => c.groupExternalId).filter((id): id is string => id !== null),
      );
      const rows = valid.map((c) => ({
        id: services.ids.next('cus'),
        external_id: c.externalId,
        name: c.name,
        country: c.country,
        currency: c.currency,
        segment: c.segment,
        group_id: c.groupId ?? (c.groupExternalId ? (groupIds.get(c.groupExternalId) ?? null) : null),
        sales_owner: c.salesOwner,
        registration_id: c.registrationId,
        collector: null,
        created_at: now,
        updated_at: now,
      }));
      const records = await insertAudited(
        trx,
        'customers',
        rows,
        customerRecord,
        { actor, now, action: 'customer.created' },
        onProgress,
      );
      const screens = await firstContactScreens(
        trx,
        rows.map((r) => ({ registrationId: r.registration_id, name: r.name })),
        services.clock.today(),
      );
      await insertDefaultProfiles(
        trx,
        rows.map((r, i) => ({ id: r.id, screen: screens[i] as (typeof screens)[number] })),
        now,
      );
      // A screen that found something is on the record; a clear one is the norm and only on the profile.
      await appendAudit(
        trx,
        actor,
        now,
        rows.flatMap((r, i) =>
          screens[i]?.outcome === 'proceed'
            ? []
            : [
                {
                  action: 'customer.screened',
                  entityType: 'customer',
                  entityId: r.id,
                  before: null,
                  after: screens[i] ?? null,
                },
              ],
        ),
      );
      return records;
    })
    .catch(translateConstraintError);
}

async function assertGroupsExist(trx: Executor, groupIds: readonly string[]): Promise<void> {
  const unique = [...new Set(groupIds)];
  if (unique.length === 0) return;
  const found = await trx.selectFrom('customer_groups').select('id').where('id', 'in', unique).execute();
  const known = new Set(found.map((r) => r.id));
  const missing = unique.find((id) => !known.has(id));
  if (missing) throw new DomainError('unknown_group', `customer group ${missing} does not exist`, 'groupId');
}

export async function ensureGroups(
  services: Services,
  trx: Executor,
  actor: Actor,
  now: string,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = await idsByExternalId(trx, 'customer_groups', externalIds);
  const missing = [...new Set(externalIds)].filter((id) => !ids.has(id));
  const rows = missing.map((externalId) => ({
    id: services.ids.next('grp'),
    external_id: externalId,
    name: externalId,
    created_at: now,
  }));
  await insertAudited(trx, 'customer_groups', rows, groupRecord, {
    actor,
    now,
    action: 'customer_group.created',
  });
  for (const row of rows) ids.set(row.external_id, row.id);
  return ids;
}
