import { requireText } from '../../core/customers/customer.js';
import { appendAudit } from '../../store/audit.js';
import { groupRecord } from '../../store/records.js';
import { translateConstraintError } from '../../store/write.js';
import { idsByExternalId } from '../lookup.js';
import { rejectDuplicateIds } from '../row-errors.js';
import type { Actor, Services } from '../services.js';

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
      const existing = await idsByExternalId(trx, 'customer_groups', [externalId]);
      rejectDuplicateIds([externalId], new Set(existing.keys()));
      const row = { id: services.ids.next('grp'), external_id: externalId, name, created_at: now };
      await trx.insertInto('customer_groups').values(row).execute();
      const record = groupRecord(row);
      await appendAudit(trx, actor, now, [
        {
          action: 'customer_group.created',
          entityType: 'customer_group',
          entityId: row.id,
          before: null,
          after: record,
        },
      ]);
      return record;
    })
    .catch(translateConstraintError);
}
