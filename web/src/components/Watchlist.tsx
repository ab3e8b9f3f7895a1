import { useState } from 'react';
import { api } from '../api';
import { formatDate, formatMoney } from '../i18n';
import { useLocale } from '../locale';
import { Table } from './Table';
import { useApi } from './useApi';

interface Watched {
  customerId: string;
  customerName: string;
  currency: string;
  reason: string;
  addedBy: string;
  addedAt: string;
  openMinor: number;
  worstAlert: 'low' | 'medium' | 'high' | 'critical' | null;
}

/** Beside the alert inbox: the customers someone chose to keep in view, the gravest first (D2). */
export function WatchlistCard() {
  const { t, locale } = useLocale();
  const list = useApi<{ items: Watched[] }>('/v1/watchlist');
  return (
    <section className="card" data-testid="watchlist">
      <h3>{t('watchlist')}</h3>
      <Table
        rows={list.data?.items ?? []}
        rowKey={(w) => w.customerId}
        columns={[
          { header: t('customer'), cell: (w) => <a href={`#/customer/${w.customerId}`}>{w.customerName}</a> },
          { header: t('reason'), cell: (w) => w.reason },
          {
            header: t('worstAlert'),
            cell: (w) =>
              w.worstAlert ? (
                <span className={`badge severity-${w.worstAlert}`}>{t(`severity_${w.worstAlert}`)}</span>
              ) : (
                '—'
              ),
          },
          { header: t('open'), numeric: true, cell: (w) => formatMoney(w.openMinor, w.currency, locale) },
          { header: t('since'), cell: (w) => `${formatDate(w.addedAt, locale)} · ${w.addedBy}` },
        ]}
      />
    </section>
  );
}

/** The roles that work alerts (and so the watchlist); the server refuses the others all the same. */
const WATCHERS = new Set(['admin', 'credit_manager', 'credit_analyst']);

/** On the customer 360: put the customer on the watchlist with why, or take it off — for those who may. */
export function WatchButton({ customerId }: { customerId: string }) {
  const { t } = useLocale();
  const me = useApi<{ role: string }>('/v1/me');
  const may = me.data !== null && WATCHERS.has(me.data.role);
  const list = useApi<{ items: Watched[] }>(may ? '/v1/watchlist' : null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const watched = list.data?.items.find((w) => w.customerId === customerId);
  if (!list.data) return null;
  const act = (work: Promise<unknown>) =>
    work.then(
      () => {
        setReason('');
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  return (
    <div className="watch" data-testid="watch">
      {watched ? (
        <>
          <span className="badge">
            {t('watched')}: {watched.reason}
          </span>{' '}
          <button
            type="button"
            className="link"
            onClick={() => act(api(`/v1/watchlist/${customerId}`, { method: 'DELETE' }))}
          >
            {t('unwatch')}
          </button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act(api(`/v1/watchlist/${customerId}`, { method: 'PUT', body: { reason } }));
          }}
        >
          <input
            aria-label={t('watchReason')}
            placeholder={t('watchReason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />{' '}
          <button type="submit" disabled={!reason.trim()}>
            {t('watch')}
          </button>
        </form>
      )}
      {error && <span className="error"> {error}</span>}
    </div>
  );
}
