import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { isUniqueViolation } from '../../store/write.js';
import { type Principal, personOf } from '../auth/principal.js';
import type { Services } from '../services.js';

/** The list pages a view can be saved for. */
export const VIEW_PAGES = ['customers', 'alerts', 'worklist'] as const;
export type ViewPage = (typeof VIEW_PAGES)[number];

/** Enough for anyone's morning; more is a sign the views are not being cleaned up. */
const MAX_VIEWS_PER_PAGE = 50;

const viewRecord = (row: { id: string; page: string; name: string; query: string; created_at: string }) => ({
  id: row.id,
  page: row.page as ViewPage,
  name: row.name,
  query: row.query,
  createdAt: row.created_at,
});

/** The caller's saved views of a page, by name. */
export async function savedViews(services: Services, principal: Principal | null, page: ViewPage) {
  const rows = await services.store.db
    .selectFrom('saved_views')
    .selectAll()
    .where('user_id', '=', personOf(principal, 'saved views'))
    .where('page', '=', page)
    .orderBy('name')
    .execute();
  return { items: rows.map(viewRecord) };
}

/**
 * Saves the page's filters under a name (the page's own query string: the filters it sends the
 * API). A name is the person's own per page: saving it again is refused, not overwritten.
 */
export async function saveView(
  services: Services,
  principal: Principal | null,
  input: { page: ViewPage; name: string; query: string },
) {
  const userId = personOf(principal, 'saved views');
  const name = requireText(input.name, 'name', 80);
  const query = input.query.replace(/^\?/, '');
  for (const key of new URLSearchParams(query).keys())
    if (key === 'cursor' || key === 'format')
      throw new DomainError('invalid_value', `a view keeps filters, not ${key}`, 'query');
  const { db } = services.store;
  const { n } = await db
    .selectFrom('saved_views')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('page', '=', input.page)
    .executeTakeFirstOrThrow();
  if (Number(n) >= MAX_VIEWS_PER_PAGE)
    throw new DomainError(
      'too_long',
      `${MAX_VIEWS_PER_PAGE} views of a page at most: delete one first`,
      'name',
    );
  const row = {
    id: services.ids.next('vw'),
    user_id: userId,
    page: input.page,
    name,
    query,
    created_at: services.clock.now().toISOString(),
  };
  try {
    await db.insertInto('saved_views').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError('duplicate_view', `you have a view named ${name} already`, 'name');
    throw error;
  }
  return viewRecord(row);
}

/** Deletes one of the caller's own views. */
export async function deleteView(services: Services, principal: Principal | null, id: string) {
  const deleted = await services.store.db
    .deleteFrom('saved_views')
    .where('id', '=', id)
    .where('user_id', '=', personOf(principal, 'saved views'))
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw new DomainError('view_not_found', `you have no view ${id}`);
}
