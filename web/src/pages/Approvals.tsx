import { useState } from 'react';
import { api } from '../api';
import { wordFor } from '../codes';
import { Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { formatDate, formatMoney } from '../i18n';
import { useLocale } from '../locale';

interface LimitRequest {
  id: string;
  subjectType: string;
  subjectId: string;
  kind: string;
  amountMinor: number;
  previousMinor: number;
  currency: string;
  reason: string;
  requestedBy: string;
  createdAt: string;
}

/** The approvals inbox: pending limit requests, and what waits for the caller's committee role. */
export function Approvals() {
  const { t, locale } = useLocale();
  const pending = useApi<{ items: LimitRequest[] }>('/v1/limit-requests?status=pending');
  const committee = useApi<{ items: { request: LimitRequest; committee: { missing: string[] } }[] }>(
    '/v1/committee/inbox',
  );
  const [message, setMessage] = useState<string | null>(null);
  const act = async (path: string, body: object) => {
    const note = window.prompt(t('note'));
    if (!note) return;
    try {
      await api(path, { method: 'POST', body: { ...body, note } });
      pending.reload();
      committee.reload();
      setMessage(null);
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  const subject = (r: LimitRequest) =>
    r.subjectType === 'customer' ? <a href={`#/customer/${r.subjectId}`}>{r.subjectId}</a> : r.subjectId;
  return (
    <div>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      <section className="card">
        <h2>{t('approvalsTitle')}</h2>
        {pending.error && <p className="error">{pending.error}</p>}
        <Table
          testId="limit-requests"
          rows={pending.data?.items ?? []}
          rowKey={(r) => r.id}
          columns={[
            { header: t('customer'), cell: subject },
            {
              header: t('from'),
              numeric: true,
              cell: (r) => formatMoney(r.previousMinor, r.currency, locale),
            },
            {
              header: t('to'),
              numeric: true,
              cell: (r) => `${formatMoney(r.amountMinor, r.currency, locale)} (${wordFor(r.kind, locale)})`,
            },
            { header: t('reason'), cell: (r) => r.reason },
            { header: t('requestedBy'), cell: (r) => `${r.requestedBy}, ${formatDate(r.createdAt, locale)}` },
            {
              header: '',
              cell: (r) => (
                <span className="actions">
                  <button
                    type="button"
                    className="primary"
                    onClick={() => act(`/v1/limit-requests/${r.id}/approve`, {})}
                  >
                    {t('approve')}
                  </button>
                  <button type="button" onClick={() => act(`/v1/limit-requests/${r.id}/reject`, {})}>
                    {t('reject')}
                  </button>
                </span>
              ),
            },
          ]}
        />
      </section>
      {committee.data && (
        <section className="card">
          <h2>{t('committee')}</h2>
          <Table
            rows={committee.data.items}
            rowKey={(i) => i.request.id}
            columns={[
              { header: t('customer'), cell: (i) => subject(i.request) },
              {
                header: t('to'),
                numeric: true,
                cell: (i) => formatMoney(i.request.amountMinor, i.request.currency, locale),
              },
              { header: t('reason'), cell: (i) => i.request.reason },
              {
                header: '',
                cell: (i) => (
                  <span className="actions">
                    <button
                      type="button"
                      className="primary"
                      onClick={() =>
                        act(`/v1/limit-requests/${i.request.id}/sign-offs`, { decision: 'approve' })
                      }
                    >
                      {t('signOff')}
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        act(`/v1/limit-requests/${i.request.id}/sign-offs`, { decision: 'reject' })
                      }
                    >
                      {t('reject')}
                    </button>
                  </span>
                ),
              },
            ]}
          />
        </section>
      )}
    </div>
  );
}
