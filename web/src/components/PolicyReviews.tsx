import { useState } from 'react';
import { api } from '../api';
import { formatDate, formatNumber, formatPercent, type MessageKey } from '../i18n';
import { useLocale } from '../locale';
import { Status } from './Status';
import { useApi } from './useApi';

interface Review {
  id: string;
  reason: 'appetite_breach' | 'regime_change' | 'quarterly';
  subject: string;
  facts: Record<string, string | number | null>;
  raisedOn: string;
  dueOn: string;
}

/** The policy reviews waiting (H3): after an appetite breach, a change of regime, each quarter; closed with what was decided. */
export function PolicyReviews() {
  const { t, locale } = useLocale();
  const reviews = useApi<{ items: Review[] }>('/v1/policy-reviews?status=open');
  const [outcome, setOutcome] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const about = (r: Review) => {
    if (r.reason === 'appetite_breach') {
      const days = r.subject === 'targetDsoDays';
      const shown = (x: string | number | null | undefined) =>
        typeof x === 'number' ? (days ? formatNumber(x, locale) : formatPercent(x, locale)) : '—';
      return `${t(`appetite_${r.subject}` as MessageKey)} ${shown(r.facts.value)} / ${shown(r.facts.limit)}${r.facts.driver ? ` · ${r.facts.driver}` : ''}`;
    }
    if (r.reason === 'regime_change')
      return `${r.subject}: ${t(`regime_${r.facts.from}` as MessageKey)} → ${t(`regime_${r.facts.to}` as MessageKey)}`;
    return r.subject;
  };
  const complete = async (r: Review) => {
    try {
      await api(`/v1/policy-reviews/${r.id}/complete`, {
        method: 'POST',
        body: { outcome: outcome[r.id] ?? '' },
      });
      setMessage(t('reviewClosed'));
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  if (!reviews.data) return <p className="muted">{reviews.error ?? t('loading')}</p>;
  return (
    <div className="card" data-testid="policy-reviews">
      <h3>{t('policyReviews')}</h3>
      <Status message={message} />
      {reviews.data.items.length === 0 ? (
        <p className="muted">{t('noPolicyReviews')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('reviewReason')}</th>
              <th>{t('reviewAbout')}</th>
              <th>{t('dueOn')}</th>
              <th>{t('reviewOutcome')}</th>
            </tr>
          </thead>
          <tbody>
            {reviews.data.items.map((r) => (
              <tr key={r.id}>
                <td>{t(`policyReview_${r.reason}` as MessageKey)}</td>
                <td>{about(r)}</td>
                <td>{formatDate(r.dueOn, locale)}</td>
                <td>
                  <input
                    aria-label={`${t('reviewOutcome')} ${r.id}`}
                    value={outcome[r.id] ?? ''}
                    onChange={(e) => setOutcome({ ...outcome, [r.id]: e.target.value })}
                  />{' '}
                  <button type="button" disabled={!(outcome[r.id] ?? '').trim()} onClick={() => complete(r)}>
                    {t('closeReview')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
