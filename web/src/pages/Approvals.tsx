import { useState } from 'react';
import { api } from '../api';
import { wordFor } from '../codes';
import { ExportButtons } from '../components/ExportButtons';
import { type NoteAction, NoteDialog } from '../components/NoteDialog';
import { Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { usePaged } from '../components/usePaged';
import { WriteOffApprovals } from '../components/WriteOffApprovals';
import { formatDate, formatMoney, formatPercent } from '../i18n';
import { useLocale } from '../locale';
import { useCan } from '../me';

interface Standing {
  currency: string;
  exposureMinor: number;
  limitMinor: number;
  overdueMinor: number;
  ratingGrade: number | null;
  riskClass: string;
}
interface LimitRequest {
  id: string;
  subjectType: string;
  subjectId: string;
  subjectName?: string;
  kind: string;
  amountMinor: number;
  previousMinor: number;
  currency: string;
  reason: string;
  requestedBy: string;
  requestedByName?: string;
  createdAt: string;
}

/** Roles that sign off for the credit committee (the others have no committee inbox to look at). */
const COMMITTEE_ROLES = new Set(['admin', 'sales', 'finance', 'legal']);

/** The approvals inbox: pending limit requests, write-offs for those who may approve them, and what waits for the caller's committee role. */
export function Approvals() {
  const { t, locale } = useLocale();
  const can = useCan();
  const me = useApi<{ role: string }>('/v1/me');
  // Newest first unless a header says otherwise, a page at a time.
  const [sort, setSort] = useState('-createdAt');
  const { page: pending, pager } = usePaged<LimitRequest>('/v1/limit-requests', { status: 'pending', sort });
  const committee = useApi<{ items: { request: LimitRequest; committee: { missing: string[] } }[] }>(
    me.data && COMMITTEE_ROLES.has(me.data.role) ? '/v1/committee/inbox' : null,
  );
  const [message, setMessage] = useState<string | null>(null);
  const [action, setAction] = useState<NoteAction | null>(null);
  const nameOf = (r: LimitRequest) =>
    r.subjectName ?? pending.data?.items.find((p) => p.id === r.id)?.subjectName ?? r.subjectId;
  // The decision in a dialog with the figures to decide on; the server still refuses what it must.
  const act = async (title: string, r: LimitRequest, path: string, body: object) => {
    // A customer's standing beside the request: exposure against the limit, overdue, grade, score.
    const standing: [string, string][] = [];
    if (r.subjectType === 'customer') {
      const [p, score] = await Promise.all([
        api<Standing>(`/v1/customers/${r.subjectId}/exposure`),
        api<{ score: number; pd: number }>(`/v1/customers/${r.subjectId}/score`).catch(() => null),
      ]);
      standing.push(
        [
          t('exposure'),
          `${formatMoney(p.exposureMinor, p.currency, locale)} / ${formatMoney(p.limitMinor, p.currency, locale)}`,
        ],
        [t('overdue'), formatMoney(p.overdueMinor, p.currency, locale)],
        [t('rating'), `${p.ratingGrade ?? '—'} (${p.riskClass})`],
        [t('scoreTitle'), score ? `${score.score} · ${formatPercent(score.pd, locale)}` : '—'],
      );
    }
    setAction({
      title,
      facts: [
        [t('customer'), nameOf(r)],
        [t('from'), formatMoney(r.previousMinor, r.currency, locale)],
        [t('to'), `${formatMoney(r.amountMinor, r.currency, locale)} (${wordFor(r.kind, locale)})`],
        ...standing,
        [t('reason'), r.reason],
        [t('requestedBy'), r.requestedByName ?? r.requestedBy],
      ],
      run: async (note) => {
        await api(path, { method: 'POST', body: { ...body, note } });
        setMessage(`${title}: ${nameOf(r)} ✓`);
      },
    });
  };
  const subject = (r: LimitRequest) =>
    r.subjectType === 'customer' ? <a href={`#/customer/${r.subjectId}`}>{nameOf(r)}</a> : nameOf(r);
  return (
    <div>
      {action && <NoteDialog action={action} onClose={() => setAction(null)} />}
      {message && <p role="status">{message}</p>}
      <section className="card">
        <h2>
          {t('approvalsTitle')}{' '}
          <ExportButtons path="/v1/limit-requests?status=pending" name="limit-requests" />
        </h2>
        {pending.error && <p className="error">{pending.error}</p>}
        <Table
          testId="limit-requests"
          rows={pending.data?.items ?? []}
          rowKey={(r) => r.id}
          sort={sort}
          onSort={setSort}
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
              sortKey: 'amount',
              cell: (r) => `${formatMoney(r.amountMinor, r.currency, locale)} (${wordFor(r.kind, locale)})`,
            },
            { header: t('reason'), cell: (r) => r.reason },
            {
              header: t('requestedBy'),
              sortKey: 'createdAt',
              cell: (r) => `${r.requestedByName ?? r.requestedBy}, ${formatDate(r.createdAt, locale)}`,
            },
            {
              header: '',
              cell: (r) => (
                <span className="actions">
                  <button
                    type="button"
                    className="primary"
                    onClick={() => void act(t('approve'), r, `/v1/limit-requests/${r.id}/approve`, {})}
                  >
                    {t('approve')}
                  </button>
                  <button
                    type="button"
                    onClick={() => void act(t('reject'), r, `/v1/limit-requests/${r.id}/reject`, {})}
                  >
                    {t('reject')}
                  </button>
                </span>
              ),
            },
          ]}
        />
        {pager}
      </section>
      {can('ledger.write_off') && <WriteOffApprovals />}
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
                        void act(t('signOff'), i.request, `/v1/limit-requests/${i.request.id}/sign-offs`, {
                          decision: 'approve',
                        })
                      }
                    >
                      {t('signOff')}
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        void act(t('reject'), i.request, `/v1/limit-requests/${i.request.id}/sign-offs`, {
                          decision: 'reject',
                        })
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
