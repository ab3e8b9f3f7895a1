import { isRole, mayDo } from '../../core/access/roles.js';
import { parseCountry, parseSegment, requireText } from '../../core/customers/customer.js';
import { parseRegistrationId } from '../../core/customers/registration-id.js';
import { DomainError } from '../../core/errors.js';
import { appendAudit } from '../../store/audit.js';
import { customerRecord } from '../../store/records.js';
import { forUpdate } from '../../store/write.js';
import type { Actor, Services } from '../services.js';

/** The fields of a customer that may change. Currency may not: the ledger is kept in it. */
export interface CustomerChanges {
  readonly name?: string;
  readonly country?: string;
  readonly segment?: string;
  readonly groupId?: string | null;
  readonly salesOwner?: string | null;
  readonly registrationId?: string | null;
  /** The username of who works the account in collections; null: nobody. */
  readonly collector?: string | null;
}

export async function updateCustomer(
  services: Services,
  actor: Actor,
  customerId: string,
  changes: CustomerChanges,
) {
  const now = services.clock.now().toISOString();
  const patch = {
    ...(changes.name !== undefined && { name: requireText(changes.name, 'name', 200) }),
    ...(changes.country !== undefined && { country: parseCountry(changes.country, 'country') }),
    ...(changes.segment !== undefined && { segment: parseSegment(changes.segment, 'segment') }),
    ...(changes.groupId !== undefined && { group_id: changes.groupId }),
    ...(changes.salesOwner !== undefined && {
      sales_owner: changes.salesOwner === null ? null : requireText(changes.salesOwner, 'salesOwner', 100),
    }),
  };
  return services.store.db.transaction().execute(async (trx) => {
    const before = await forUpdate(
      trx.selectFrom('customers').selectAll().where('id', '=', customerId),
      services.store.dialect,
    ).executeTakeFirst();
    if (!before) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
    if (patch.group_id) {
      const group = await trx
        .selectFrom('customer_groups')
        .select('id')
        .where('id', '=', patch.group_id)
        .executeTakeFirst();
      if (!group)
        throw new DomainError('unknown_group', `customer group ${patch.group_id} does not exist`, 'groupId');
    }
    // Checked against the country the customer will have: a code is valid for its registry only.
    if (changes.collector !== undefined && changes.collector !== null) {
      const user = await trx
        .selectFrom('users')
        .select(['role', 'disabled_at'])
        .where('username', '=', changes.collector)
        .executeTakeFirst();
      if (!user || user.disabled_at)
        throw new DomainError('user_not_found', `no active user ${changes.collector}`, 'collector');
      if (!isRole(user.role) || !mayDo(user.role, 'collections.work'))
        throw new DomainError(
          'invalid_role',
          `${changes.collector} is a ${user.role}, who does not work collections`,
          'collector',
        );
    }
    if (changes.collector !== undefined) Object.assign(patch, { collector: changes.collector });
    if (changes.registrationId !== undefined || (patch.country && before.registration_id))
      Object.assign(patch, {
        registration_id:
          changes.registrationId === null
            ? null
            : parseRegistrationId(
                changes.registrationId ?? (before.registration_id as string),
                patch.country ?? before.country,
                'registrationId',
              ),
      });
    const after = { ...before, ...patch, updated_at: now };
    await trx
      .updateTable('customers')
      .set({ ...patch, updated_at: now })
      .where('id', '=', customerId)
      .execute();
    await appendAudit(trx, actor, now, [
      {
        action: 'customer.updated',
        entityType: 'customer',
        entityId: customerId,
        before: customerRecord(before),
        after: customerRecord(after),
      },
    ]);
    return customerRecord(after);
  });
}
