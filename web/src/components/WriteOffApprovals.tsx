import { useState } from 'react';
import { api } from '../api';
import { formatDate, formatMoney } from '../i18n';
import { useLocale } from '../locale';
import { type NoteAction, NoteDialog } from './NoteDialog';
import { Status } from './Status';
import { Table } from './Table';
import { usePaged } from './usePaged';

interface WriteOffRequest {
  id: string;
  customerId: string;
  customerName: string;
  invoiceNumber: string;
  invoiceOpenMinor: number;
  amountMinor: number;
  currency: string;
  reason: string;
  requestedByName: string;
  requestedAt: string;
}
interface Position {
  exposureMinor: number;
  limitMinor: number;
  overdueMinor: number;
  riskClass: string;
  currency: string;
}

/**
 * Write-offs waiting for approval (E7), oldest first or by amount: each approved or rejected in a
 * dialog beside the invoice's open amount and the customer's exposure, limit, overdue and class —
 * never by whoever asked (the server refuses), within the approver's authority.
 */
export function WriteOffApprovals() {
  const { t, locale } = useLocale();
  const [sort, setSort] = useState('requestedAt');
  const { page, pager } = usePaged<WriteOffRequest>('/v1/write-off-requests', { status: 'pending', sort });
  const [action, setAction] = useState<NoteAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const money = (minor: number, currency: string) => formatMoney(minor, currency, locale);
  const decide = async (w: WriteOffRequest, approve: boolean) => {
    const p = await api<Position>(`/v1/customers/${w.customerId}/exposure`);
    const title = t(approve ? 'approveWriteOff' : 'rejectWriteOff');
    setAction({
      title,
      facts: [
        [t('customer'), w.customerName],
        [t('invoice'), w.invoiceNumber],
        [t('writeOffAmount'), money(w.amountMinor, w.currency)],
        [t('open'), money(w.invoiceOpenMinor, w.currency)],
        [t('exposure'), `${money(p.exposureMinor, p.currency)} / ${money(p.limitMinor, p.currency)}`],
        [t('overdue'), money(p.overdueMinor, p.currency)],
        [t('riskClass'), p.riskClass],
        [t('reason'), w.reason],
        [t('requestedBy'), w.requestedByName],
      ],
      run: async (note) => {
        await api(`/v1/write-off-requests/${w.id}/${approve ? 'approve' : 'reject'}`, {
          method: 'POST',
          body: { note },
        });
        setMessage(`${title}: ${w.customerName} ${w.invoiceNumber} ✓`);
      },
    });
  };
  return (
    <section className="card" data-testid="write-off-approvals">
      <h2>{t('writeOffsWaiting')}</h2>
      {action && <NoteDialog action={action} onClose={() => setAction(null)} />}
      <Status message={message} />
      {page.error && <p className="error">{page.error}</p>}
      <Table
        testId="write-offs"
        rows={page.data?.items ?? []}
        rowKey={(w) => w.id}
        sort={sort}
        onSort={setSort}
        columns={[
          { header: t('customer'), cell: (w) => <a href={`#/customer/${w.customerId}`}>{w.customerName}</a> },
          { header: t('invoice'), cell: (w) => w.invoiceNumber },
          {
            header: t('writeOffAmount'),
            numeric: true,
            sortKey: 'amount',
            cell: (w) => money(w.amountMinor, w.currency),
          },
          { header: t('open'), numeric: true, cell: (w) => money(w.invoiceOpenMinor, w.currency) },
          { header: t('reason'), cell: (w) => w.reason },
          {
            header: t('requestedBy'),
            sortKey: 'requestedAt',
            cell: (w) => `${w.requestedByName}, ${formatDate(w.requestedAt, locale)}`,
          },
          {
            header: '',
            cell: (w) => (
              <span className="actions">
                <button type="button" className="primary" onClick={() => void decide(w, true)}>
                  {t('approve')}
                </button>
                <button type="button" onClick={() => void decide(w, false)}>
                  {t('reject')}
                </button>
              </span>
            ),
          },
        ]}
      />
      {pager}
    </section>
  );
}
