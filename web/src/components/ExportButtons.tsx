import { useState } from 'react';
import { download } from '../api';
import { useLocale } from '../locale';

/** CSV and XLSX of a list the API serves as `{items}`: fetched with the session, saved as a file. */
export function ExportButtons({ path, name }: { path: string; name: string }) {
  const { t } = useLocale();
  const [error, setError] = useState<string | null>(null);
  const get = (format: 'csv' | 'xlsx') =>
    download(`${path}${path.includes('?') ? '&' : '?'}format=${format}`, `${name}.${format}`).catch(
      (e: Error) => setError(e.message),
    );
  return (
    <span className="exports">
      <button type="button" className="link" onClick={() => get('csv')}>
        {t('exportCsv')}
      </button>{' '}
      <button type="button" className="link" onClick={() => get('xlsx')}>
        {t('exportXlsx')}
      </button>
      {error && <span className="error"> {error}</span>}
    </span>
  );
}
