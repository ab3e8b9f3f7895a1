import type { ReactNode } from 'react';
import { useLocale } from '../locale';

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  readonly numeric?: boolean;
  /** The server's name for ordering by this column (`sort=key`, `-key` descending), when it can. */
  readonly sortKey?: string;
}

/**
 * A table that scrolls sideways on a phone and says so when it is empty. Given `sort` and
 * `onSort`, the headers of sortable columns order the list on the server (a click on the same
 * header again turns the order round).
 */
export function Table<T>({
  rows,
  columns,
  rowKey,
  testId,
  sort,
  onSort,
}: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  testId?: string;
  sort?: string;
  onSort?: (sort: string) => void;
}) {
  const { t } = useLocale();
  if (rows.length === 0) return <p className="muted">{t('empty')}</p>;
  const header = (c: Column<T>) => {
    if (!c.sortKey || !onSort) return c.header;
    const key = c.sortKey;
    const current = sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : null;
    return (
      <button
        type="button"
        className="link sort"
        onClick={() => onSort(current === 'ascending' ? `-${key}` : key)}
      >
        {c.header} {current === 'ascending' ? '▲' : current === 'descending' ? '▼' : ''}
      </button>
    );
  };
  const ariaSort = (c: Column<T>) =>
    !c.sortKey
      ? undefined
      : sort === c.sortKey
        ? 'ascending'
        : sort === `-${c.sortKey}`
          ? 'descending'
          : 'none';
  return (
    <div className="scroll">
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} className={c.numeric ? 'num' : undefined} aria-sort={ariaSort(c)}>
                {header(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} className={c.numeric ? 'num' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
