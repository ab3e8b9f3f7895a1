import { useState } from 'react';
import { wordFor } from '../codes';
import { ExportButtons } from '../components/ExportButtons';
import { SavedViews } from '../components/SavedViews';
import { Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { formatDate, formatMoney } from '../i18n';
import { useLocale } from '../locale';

interface Worklist {
  currency: string;
  items: {
    customerId: string;
    customerName: string;
    collector: string | null;
    overdueMinor: number;
    oldestDaysPastDue: number;
    expectedValueMinor: number;
    tasks: { id: string; kind: string; dueOn: string; reason: string }[];
    recentNotices: { runOn: string; channel: string; subject: string }[];
  }[];
}
interface Dispute {
  id: string;
  customerId: string;
  amountMinor: number;
  currency: string;
  reason: string;
  ageDays: number;
  status: string;
}

/** The collectors' day by expected value recovered, and open disputes. */
export function Collections() {
  const { t, locale } = useLocale();
  // Whose accounts: one's own, nobody's, or everyone's (the default: a manager sees the whole day).
  const [whose, setWhose] = useState<'' | 'me' | 'none'>('');
  const path = `/v1/collections/worklist${whose ? `?collector=${whose}` : ''}`;
  const worklist = useApi<Worklist>(path);
  const disputes = useApi<{ items: Dispute[] }>('/v1/disputes?status=open');
  const currency = worklist.data?.currency ?? 'CNY';
  return (
    <div>
      <section className="card">
        <h2>
          {t('worklist')} <ExportButtons path={path} name="worklist" />
        </h2>
        <label className="filters">
          {t('whoseAccounts')}{' '}
          <select
            value={whose}
            data-testid="worklist-whose"
            onChange={(e) => setWhose(e.target.value as typeof whose)}
          >
            <option value="">{t('whoseEveryone')}</option>
            <option value="me">{t('whoseMine')}</option>
            <option value="none">{t('whoseNobody')}</option>
          </select>
        </label>{' '}
        <SavedViews
          page="worklist"
          query={whose ? `collector=${whose}` : ''}
          onApply={(saved) => setWhose((new URLSearchParams(saved).get('collector') ?? '') as typeof whose)}
        />
        {worklist.error && <p className="error">{worklist.error}</p>}
        <Table
          testId="worklist"
          rows={worklist.data?.items ?? []}
          rowKey={(r) => r.customerId}
          columns={[
            {
              header: t('customer'),
              cell: (r) => <a href={`#/customer/${r.customerId}`}>{r.customerName}</a>,
            },
            {
              header: t('expectedValue'),
              numeric: true,
              cell: (r) => formatMoney(r.expectedValueMinor, currency, locale),
            },
            {
              header: t('overdue'),
              numeric: true,
              cell: (r) => formatMoney(r.overdueMinor, currency, locale),
            },
            { header: t('age'), numeric: true, cell: (r) => r.oldestDaysPastDue },
            { header: t('collector'), cell: (r) => r.collector ?? '—' },
            {
              header: t('task'),
              cell: (r) =>
                r.tasks
                  .map((task) => `${wordFor(task.kind, locale)} (${formatDate(task.dueOn, locale)})`)
                  .join(', '),
            },
            {
              header: t('letters'),
              cell: (r) =>
                r.recentNotices
                  .map((n) => `${wordFor(n.channel, locale)} ${formatDate(n.runOn, locale)}`)
                  .join(', '),
            },
          ]}
        />
      </section>
      <section className="card">
        <h2>
          {t('disputes')} <ExportButtons path="/v1/disputes?status=open" name="disputes" />
        </h2>
        <Table
          rows={disputes.data?.items ?? []}
          rowKey={(d) => d.id}
          columns={[
            { header: t('customer'), cell: (d) => <a href={`#/customer/${d.customerId}`}>{d.customerId}</a> },
            {
              header: t('amount'),
              numeric: true,
              cell: (d) => formatMoney(d.amountMinor, d.currency, locale),
            },
            { header: t('reason'), cell: (d) => wordFor(d.reason, locale) },
            { header: t('age'), numeric: true, cell: (d) => d.ageDays },
          ]}
        />
      </section>
    </div>
  );
}
