import { useState } from 'react';
import { useLocale } from '../locale';
import { useApi } from './useApi';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list read a page at a time with the server's cursors (keyset paging: as fast on the last page as
 * on the first), back and forth; back to the first page whenever the filters change.
 */
export function usePaged<T, Extra extends object = object>(
  path: string,
  params: Record<string, string>,
  limit = 50,
) {
  const { t } = useLocale();
  const [cursors, setCursors] = useState<string[]>([]);
  const base = new URLSearchParams({ limit: String(limit), ...params }).toString();
  const [shownBase, setShownBase] = useState(base);
  if (shownBase !== base) {
    setShownBase(base);
    setCursors([]);
  }
  const cursor = cursors.at(-1);
  const page = useApi<Page<T> & Extra>(
    `${path}?${base}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
  const next = page.data?.nextCursor;
  const pager =
    cursors.length === 0 && !next ? null : (
      <div className="pager">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          {t('previous')}
        </button>
        <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>
          {t('next')}
        </button>
      </div>
    );
  return { page, pager };
}
