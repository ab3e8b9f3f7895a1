import { useState } from 'react';
import { TASK_OUTCOMES } from '../../../src/core/collections/task-outcome';
import { api } from '../api';
import { wordFor } from '../codes';
import { ExportButtons } from '../components/ExportButtons';
import { type NoteAction, NoteDialog } from '../components/NoteDialog';
import { SavedViews } from '../components/SavedViews';
import { Status } from '../components/Status';
import { Table } from '../components/Table';
import { usePaged } from '../components/usePaged';
import { formatDate, formatMoney } from '../i18n';
import { useLocale } from '../locale';
import { useCan } from '../me';

interface WorklistRow {
  customerId: string;
  customerName: string;
  collector: string | null;
  overdueMinor: number;
  oldestDaysPastDue: number;
  expectedValueMinor: number;
  tasks: { id: string; kind: string; dueOn: string; reason: string }[];
  hold: { id: string; kind: 'pause' | 'agency'; until: string | null; agency: string | null } | null;
  recentNotices: { runOn: string; channel: string; subject: string }[];
}
interface Dispute {
  id: string;
  customerId: string;
  customerName: string;
  amountMinor: number;
  currency: string;
  reason: string;
  ageDays: number;
  status: string;
}

/** The collectors' day by expected value recovered (or as sorted by a header), and open disputes. */
export function Collections() {
  const { t, locale } = useLocale();
  // Whose accounts: one's own, nobody's, or everyone's (the default: a manager sees the whole day).
  const [whose, setWhose] = useState<'' | 'me' | 'none'>('');
  // Most valuable first unless a header says otherwise; sorted and paged on the server.
  const [sort, setSort] = useState('-expectedValue');
  const params = { ...(whose ? { collector: whose } : {}), sort };
  const path = `/v1/collections/worklist?${new URLSearchParams(params)}`;
  const { page: worklist, pager } = usePaged<WorklistRow, { asOf: string; currency: string }>(
    '/v1/collections/worklist',
    params,
    200,
  );
  const { page: disputes, pager: disputePager } = usePaged<Dispute>('/v1/disputes', { status: 'open' });
  const currency = worklist.data?.currency ?? 'CNY';
  const can = useCan();
  const [action, setAction] = useState<NoteAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // What happened, in a note beside the account's figures; the worklist is read again after.
  const markDone = (row: WorklistRow, task: WorklistRow['tasks'][number]) =>
    setAction({
      title: t('taskDoneTitle'),
      facts: [
        [t('customer'), row.customerName],
        [t('task'), `${wordFor(task.kind, locale)} (${formatDate(task.dueOn, locale)})`],
        [t('reason'), task.reason],
        [t('overdue'), formatMoney(row.overdueMinor, currency, locale)],
      ],
      input: {
        label: t('taskOutcome'),
        type: 'select',
        options: TASK_OUTCOMES.map((o) => [o, wordFor(o, locale)]),
      },
      run: async (note, outcome) => {
        await api(`/v1/collection-tasks/${task.id}/done`, { method: 'POST', body: { note, outcome } });
        setMessage(t('taskDone', { customer: row.customerName }));
      },
    });
  // Dunning held for an account — paused to a date, or handed to an agency — and lifted again.
  const facts = (row: WorklistRow): [string, string][] => [
    [t('customer'), row.customerName],
    [t('overdue'), formatMoney(row.overdueMinor, currency, locale)],
    [t('age'), t('dayCount', { count: row.oldestDaysPastDue })],
  ];
  const hold = (row: WorklistRow, kind: 'pause' | 'agency') =>
    setAction({
      title: t(kind === 'pause' ? 'pauseDunning' : 'handToAgency'),
      facts: facts(row),
      input:
        kind === 'pause'
          ? { label: t('pauseUntil'), type: 'date', min: worklist.data?.asOf }
          : { label: t('agencyName'), type: 'text' },
      run: async (reason, value) => {
        await api(`/v1/customers/${row.customerId}/dunning-holds`, {
          method: 'POST',
          body: kind === 'pause' ? { kind, until: value, reason } : { kind, agency: value, reason },
        });
        setMessage(t(kind === 'pause' ? 'dunningPaused' : 'handedToAgency', { customer: row.customerName }));
      },
    });
  const lift = async (row: WorklistRow) => {
    try {
      await api(`/v1/dunning-holds/${row.hold?.id}/lift`, { method: 'POST' });
      setMessage(t('holdLifted', { customer: row.customerName }));
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  const holdCell = (row: WorklistRow) => {
    const said = row.hold
      ? row.hold.kind === 'pause'
        ? t('pausedUntil', { date: formatDate(row.hold.until ?? '', locale) })
        : t('withAgency', { agency: row.hold.agency ?? '' })
      : null;
    if (!can('collections.work')) return said ?? '—';
    return said ? (
      <span>
        {said}{' '}
        <button type="button" className="link" onClick={() => void lift(row)}>
          {t('liftHold')}
        </button>
      </span>
    ) : (
      <span className="actions">
        <button type="button" className="link" onClick={() => hold(row, 'pause')}>
          {t('pauseDunning')}
        </button>
        <button type="button" className="link" onClick={() => hold(row, 'agency')}>
          {t('handToAgency')}
        </button>
      </span>
    );
  };
  return (
    <div>
      {action && <NoteDialog action={action} onClose={() => setAction(null)} />}
      <Status message={message} />
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
          sort={sort}
          onSort={setSort}
          columns={[
            {
              header: t('customer'),
              sortKey: 'name',
              cell: (r) => <a href={`#/customer/${r.customerId}`}>{r.customerName}</a>,
            },
            {
              header: t('expectedValue'),
              numeric: true,
              sortKey: 'expectedValue',
              cell: (r) => formatMoney(r.expectedValueMinor, currency, locale),
            },
            {
              header: t('overdue'),
              numeric: true,
              sortKey: 'overdue',
              cell: (r) => formatMoney(r.overdueMinor, currency, locale),
            },
            { header: t('age'), numeric: true, sortKey: 'daysPastDue', cell: (r) => r.oldestDaysPastDue },
            { header: t('collector'), cell: (r) => r.collector ?? '—' },
            {
              header: t('task'),
              cell: (r) =>
                r.tasks.map((task) => (
                  <span key={task.id} className="task" data-testid={`task-${task.id}`}>
                    {wordFor(task.kind, locale)} ({formatDate(task.dueOn, locale)}){' '}
                    {can('collections.work') && (
                      <button type="button" className="link" onClick={() => markDone(r, task)}>
                        {t('markDone')}
                      </button>
                    )}
                  </span>
                )),
            },
            { header: t('dunningHold'), cell: holdCell },
            {
              header: t('letters'),
              cell: (r) =>
                r.recentNotices
                  .map((n) => `${wordFor(n.channel, locale)} ${formatDate(n.runOn, locale)}`)
                  .join(', '),
            },
          ]}
        />
        {pager}
      </section>
      <section className="card">
        <h2>
          {t('disputes')} <ExportButtons path="/v1/disputes?status=open" name="disputes" />
        </h2>
        <Table
          rows={disputes.data?.items ?? []}
          rowKey={(d) => d.id}
          columns={[
            {
              header: t('customer'),
              cell: (d) => <a href={`#/customer/${d.customerId}`}>{d.customerName}</a>,
            },
            {
              header: t('amount'),
              numeric: true,
              cell: (d) => formatMoney(d.amountMinor, d.currency, locale),
            },
            { header: t('reason'), cell: (d) => wordFor(d.reason, locale) },
            { header: t('age'), numeric: true, cell: (d) => d.ageDays },
          ]}
        />
        {disputePager}
      </section>
    </div>
  );
}
