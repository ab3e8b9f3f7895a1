import { requireText } from '../../core/customers/customer.js';
import { groupRecord } from '../../store/records.js';
import { translateConstraintError } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited, rejectTakenExternalIds } from '../write-records.js';

/** A group is a parent company and its subsidiaries: they share a group credit limit. */
export async function createCustomerGroup(
  services: Services,
  actor: Actor,
  input: { externalId: string; name: string },
) {
  const externalId = requireText(input.externalId, 'externalId', 100);
  const name = requireText(input.name, 'name', 200);
  const now = services.clock.now().toISOString();
  return services.store.db
    .transaction()
    .execute(async (trx) => {
      await rejectTakenExternalIds(trx, 'customer_groups', [externalId]);
      const row = { id: services.ids.next('grp'), external_id: externalId, name, created_at: now };
      return insertOneAudited(trx, 'customer_groups', row, groupRecord, {
        actor,
        now,
        action: 'customer_group.created',
      });
    })
    .catch(translateConstraintError);
}
