import { requireText } from '../../core/customers/customer.js';
import { appendAudit } from '../../store/audit.js';
import { type PageRequest, paginate } from '../../store/page.js';
import type { Executor } from '../../store/write.js';
import { actorNames } from '../auth/actor-names.js';
import { assertCustomerExists } from '../collections/contacts.js';
import type { Actor, Services } from '../services.js';

export const NOTE_MAX_LENGTH = 4000;

interface NoteRow {
  id: string;
  customer_id: string;
  body: string;
  created_by: string;
  created_at: string;
}

const noteRecord = (row: NoteRow, names: Map<string, string>) => ({
  id: row.id,
  customerId: row.customer_id,
  body: row.body,
  createdBy: row.created_by,
  createdByName: names.get(row.created_by) ?? row.created_by,
  createdAt: row.created_at,
});

/** Adds a note to a customer's account (H1): kept as written, in order, audited. */
export async function addCustomerNote(services: Services, actor: Actor, customerId: string, text: string) {
  const body = requireText(text, 'body', NOTE_MAX_LENGTH);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    await assertCustomerExists(trx, customerId);
    const row = {
      id: services.ids.next('nte'),
      customer_id: customerId,
      body,
      created_by: actor,
      created_at: now,
    };
    await trx.insertInto('customer_notes').values(row).execute();
    await appendAudit(trx, actor, now, [
      {
        action: 'customer.note_added',
        entityType: 'customer',
        entityId: customerId,
        before: null,
        after: { id: row.id, body },
      },
    ]);
    return noteRecord(row, await actorNames(trx, [actor]));
  });
}

/** A customer's notes, newest first, a page at a time. */
export async function listCustomerNotes(executor: Executor, customerId: string, page: PageRequest) {
  await assertCustomerExists(executor, customerId);
  const rows = await paginate(
    executor.selectFrom('customer_notes').selectAll().where('customer_id', '=', customerId),
    'customer_notes.id',
    page,
    (row) => row,
    { column: 'customer_notes.created_at', descending: true, valueOf: (row) => row.created_at },
  );
  const names = await actorNames(
    executor,
    rows.items.map((r) => r.created_by),
  );
  return { items: rows.items.map((r) => noteRecord(r, names)), nextCursor: rows.nextCursor };
}
