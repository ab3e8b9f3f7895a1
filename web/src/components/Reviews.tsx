import { useState } from 'react';
import { api } from '../api';
import { formatDate, type MessageKey } from '../i18n';
import { useLocale } from '../locale';
import { Status } from './Status';
import { Table } from './Table';
import { useApi } from './useApi';

interface Due {
  customerId: string;
  customerName: string;
  riskClass: string;
  lastReviewed: boolean;
  dueOn: string;
  daysOverdue: number;
}
interface Review {
  id: string;
  reviewedOn: string;
  findings: string;
  limitDecision: string;
  nextReviewOn: string;
  reviewedBy: string;
}

/** The review calendar (D3): customers whose periodic review is past due or due within 30 days. */
export function ReviewCalendar() {
  const { t, locale } = useLocale();
  const due = useApi<{ items: Due[] }>('/v1/credit-reviews/due?within=30');
  return (
    <section className="card" data-testid="review-calendar">
      <h3>{t('reviewsDue')}</h3>
      <Table
        rows={due.data?.items ?? []}
        rowKey={(d) => d.customerId}
        columns={[
          { header: t('customer'), cell: (d) => <a href={`#/customer/${d.customerId}`}>{d.customerName}</a> },
          { header: t('riskClass'), cell: (d) => d.riskClass },
          {
            header: t('dueOn'),
            cell: (d) => (
              <span className={d.daysOverdue > 0 ? 'bad' : ''}>{formatDate(d.dueOn, locale)}</span>
            ),
          },
          { header: t('lastReviewed'), cell: (d) => (d.lastReviewed ? '✓' : '—') },
        ]}
      />
    </section>
  );
}

interface Screen {
  outcome: 'proceed' | 'proceed_with_conditions' | 'decline';
  reasons: { code: string }[];
}

/** On the customer 360: its first-contact screen, its reviews, and a review recorded where you look. */
export function CustomerReviews({ customerId }: { customerId: string }) {
  const { t, locale } = useLocale();
  const reviews = useApi<{ items: Review[] }>(`/v1/customers/${customerId}/credit-reviews`);
  const profile = useApi<{ firstContactScreen: Screen | null }>(`/v1/customers/${customerId}/credit-profile`);
  const screen = profile.data?.firstContactScreen;
  const [findings, setFindings] = useState('');
  const [decision, setDecision] = useState('keep');
  const [message, setMessage] = useState<string | null>(null);
  const record = async () => {
    if (!findings.trim()) {
      setMessage(t('findingsRequired'));
      return;
    }
    try {
      const made = await api<Review>(`/v1/customers/${customerId}/credit-reviews`, {
        method: 'POST',
        body: { findings, limitDecision: decision },
      });
      setMessage(`${t('reviewRecorded')} ${formatDate(made.nextReviewOn, locale)}`);
      setFindings('');
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  return (
    <div className="card wide" data-testid="customer-reviews">
      <h3>{t('creditReviews')}</h3>
      {profile.data && (
        <p data-testid="first-contact-screen">
          {t('firstContactScreen')}:{' '}
          {screen ? (
            <>
              <span className={`badge screen-${screen.outcome}`}>{t(`screen_${screen.outcome}`)}</span>{' '}
              {screen.reasons.map((r) => t(`screenReason_${r.code}` as MessageKey)).join(' ')}
            </>
          ) : (
            t('notScreened')
          )}
        </p>
      )}
      <Table
        rows={reviews.data?.items ?? []}
        rowKey={(r) => r.id}
        columns={[
          { header: t('reviewedOn'), cell: (r) => formatDate(r.reviewedOn, locale) },
          { header: t('findings'), cell: (r) => r.findings },
          { header: t('limitDecision'), cell: (r) => t(`decision_${r.limitDecision}` as MessageKey) },
          { header: t('nextReview'), cell: (r) => formatDate(r.nextReviewOn, locale) },
        ]}
      />
      <div className="filters">
        <input
          aria-label={t('findings')}
          placeholder={t('findings')}
          value={findings}
          onChange={(e) => setFindings(e.target.value)}
        />
        <select
          aria-label={t('limitDecision')}
          value={decision}
          onChange={(e) => setDecision(e.target.value)}
        >
          {['keep', 'raise', 'lower', 'stop'].map((d) => (
            <option key={d} value={d}>
              {t(`decision_${d}` as MessageKey)}
            </option>
          ))}
        </select>
        <button type="button" onClick={record}>
          {t('recordReview')}
        </button>
      </div>
      <Status message={message} />
    </div>
  );
}
