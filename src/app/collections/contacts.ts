import type { Selectable } from 'kysely';
import { NOTICE_LANGUAGES, type NoticeLanguage } from '../../core/collections/notices.js';
import { requireText } from '../../core/customers/customer.js';
import { EMAIL_ADDRESS } from '../../core/email-address.js';
import { DomainError } from '../../core/errors.js';
import { appendAudit } from '../../store/audit.js';
import type { ContactTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';

export interface NewContact {
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
  readonly language?: string;
}

export function contactRecord(row: Selectable<ContactTable>) {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    language: row.language,
    createdAt: row.created_at,
  };
}

export async function assertCustomerExists(executor: Executor, customerId: string) {
  const customer = await executor
    .selectFrom('customers')
    .select(['id', 'name', 'country'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer)
    throw new DomainError('customer_not_found', `customer ${customerId} does not exist`, 'customerId');
  return customer;
}

/** A person at the customer whom dunning writes to, in their language (zh-CN or en). */
export async function addContact(services: Services, actor: Actor, customerId: string, input: NewContact) {
  const name = requireText(input.name, 'name', 200);
  if (input.email !== undefined && !EMAIL_ADDRESS.test(input.email))
    throw new DomainError('invalid_email', 'email must be an e-mail address', 'email');
  const language = (input.language ?? 'en') as NoticeLanguage;
  if (!NOTICE_LANGUAGES.includes(language))
    throw new DomainError(
      'invalid_language',
      `language must be one of ${NOTICE_LANGUAGES.join(', ')}`,
      'language',
    );
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    await assertCustomerExists(trx, customerId);
    const row = {
      id: services.ids.next('con'),
      customer_id: customerId,
      name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      language,
      created_at: now,
    };
    await trx.insertInto('contacts').values(row).execute();
    const record = contactRecord(row);
    await appendAudit(trx, actor, now, [
      { action: 'contact.created', entityType: 'contact', entityId: row.id, before: null, after: record },
    ]);
    return record;
  });
}

export async function listContacts(executor: Executor, customerId: string) {
  const rows = await executor
    .selectFrom('contacts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('id')
    .execute();
  return rows.map(contactRecord);
}
