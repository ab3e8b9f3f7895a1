import { useState } from 'react';
import { download } from '../api';
import { useLocale } from '../locale';

/**
 * CSV and XLSX of a list the API serves as `{items}`, or of a book it streams whole (the invoice
 * ledger): fetched with the session, saved as a file, the megabytes received shown while it comes.
 */
export function ExportButtons({ path, name, label }: { path: string; name: string; label?: string }) {
  const { t, locale } = useLocale();
  const [error, setError] = useState<string | null>(null);
  const [received, setReceived] = useState<number | null>(null);
  const get = (format: 'csv' | 'xlsx') => {
    setError(null);
    setReceived(0);
    download(
      `${path}${path.includes('?') ? '&' : '?'}format=${format}`,
      `${name}.${format}`,
      undefined,
      setReceived,
    )
      .catch((e: Error) => setError(e.message))
      .finally(() => setReceived(null));
  };
  return (
    <span className="exports" data-testid={`export-${name}`}>
      {label && <span className="muted">{label} </span>}
      <button type="button" className="link" disabled={received !== null} onClick={() => get('csv')}>
        {t('exportCsv')}
      </button>{' '}
      <button type="button" className="link" disabled={received !== null} onClick={() => get('xlsx')}>
        {t('exportXlsx')}
      </button>
      {received !== null && (
        <span className="muted" role="status">
          {' '}
          {t('downloading', {
            megabytes: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(received / 2 ** 20),
          })}
        </span>
      )}
      {error && <span className="error"> {error}</span>}
    </span>
  );
}
