import { useState } from 'react';
import { api } from '../api';
import { ExportButtons } from '../components/ExportButtons';
import { ReviewCalendar } from '../components/Reviews';
import { SavedViews } from '../components/SavedViews';
import { Status } from '../components/Status';
import { type Column, Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { useSelection } from '../components/useSelection';
import { WatchlistCard } from '../components/Watchlist';
import { formatDate, formatMoney, formatNumber, formatPercent, type MessageKey } from '../i18n';
import { useLocale } from '../locale';

interface Alert {
  id: string;
  customerId: string;
  customerName: string;
  ruleId: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  ownerRole: string;
  suggestedAction: string;
  facts: Record<string, number>;
  currency: string;
  raisedOn: string;
  dueOn: string;
  state: string;
  stateReason: string | null;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
const STATES = ['open', 'acknowledged', 'actioned', 'dismissed', 'cleared'] as const;

/** The alert inbox (D2): filter, acknowledge in bulk, close one with what was done or why it is no risk. */
export function Alerts({ today }: { today: string }) {
  const { t, locale } = useLocale();
  const [severity, setSeverity] = useState('');
  const [state, setState] = useState('open');
  const { selected, toggle, clear } = useSelection();
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const query = new URLSearchParams({
    limit: '200',
    ...(severity ? { severity } : {}),
    ...(state ? { state } : {}),
  });
  const inbox = useApi<{ items: Alert[] }>(`/v1/alerts?${query}`);

  const move = async (ids: string[], action: 'acknowledge' | 'action' | 'dismiss') => {
    if (action !== 'acknowledge' && !reason.trim()) {
      setMessage(t('reasonRequired'));
      return;
    }
    let done = 0;
    for (const id of ids) {
      try {
        await api(`/v1/alerts/${id}/${action}`, {
          method: 'POST',
          body: action === 'acknowledge' ? {} : { reason },
        });
        done++;
      } catch (e) {
        setMessage(`${t('error')}: ${(e as Error).message}`);
        return;
      }
    }
    setMessage(
      `${t(action === 'acknowledge' ? 'acknowledged' : action === 'action' ? 'actioned' : 'dismissed')}: ${done}`,
    );
    clear();
    setReason('');
  };

  // Amounts in the alert's currency, shares as percentages, the rest as numbers; each with its name.
  const facts = (a: Alert) =>
    Object.entries(a.facts)
      .map(([k, v]) => {
        const value = k.endsWith('Minor')
          ? formatMoney(v, a.currency, locale)
          : k.endsWith('Share')
            ? formatPercent(v, locale)
            : formatNumber(v, locale);
        return `${t(`fact_${k}` as MessageKey) ?? k} ${value}`;
      })
      .join(' · ');
  const columns: Column<Alert>[] = [
    {
      header: '',
      cell: (a) => (
        <input
          type="checkbox"
          aria-label={`${t('select')} ${a.customerName}`}
          checked={selected.has(a.id)}
          onChange={() => toggle(a.id)}
        />
      ),
    },
    {
      header: t('severity'),
      cell: (a) => (
        <span className={`badge severity-${a.severity}`}>{t(`severity_${a.severity}` as MessageKey)}</span>
      ),
    },
    { header: t('customer'), cell: (a) => <a href={`#/customer/${a.customerId}`}>{a.customerName}</a> },
    {
      header: t('rule'),
      cell: (a) => <span title={facts(a)}>{t(`rule_${a.ruleId}` as MessageKey) ?? a.ruleId}</span>,
    },
    { header: t('facts'), cell: facts },
    { header: t('raisedOn'), cell: (a) => formatDate(a.raisedOn, locale) },
    {
      header: t('dueOn'),
      cell: (a) => (
        <span className={a.dueOn < today && (a.state === 'open' || a.state === 'acknowledged') ? 'bad' : ''}>
          {formatDate(a.dueOn, locale)}
        </span>
      ),
    },
    { header: t('suggested'), cell: (a) => t(`action_${a.suggestedAction}` as MessageKey) },
    {
      header: t('state'),
      cell: (a) => `${t(`state_${a.state}` as MessageKey)}${a.stateReason ? ` — ${a.stateReason}` : ''}`,
    },
  ];
  return (
    <section data-testid="alerts">
      <h2>
        {t('navAlerts')} <span className="muted">({inbox.data?.items.length ?? '…'})</span>{' '}
        <ExportButtons path={`/v1/alerts?${query}`} name="alerts" />
      </h2>
      <div className="filters">
        <label>
          {t('severity')}{' '}
          <select aria-label={t('severity')} value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">{t('all')}</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(`severity_${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('state')}{' '}
          <select aria-label={t('state')} value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">{t('all')}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state_${s}`)}
              </option>
            ))}
          </select>
        </label>
        <SavedViews
          page="alerts"
          query={new URLSearchParams({ severity, state }).toString()}
          onApply={(saved) => {
            const params = new URLSearchParams(saved);
            setSeverity(params.get('severity') ?? '');
            setState(params.get('state') ?? '');
          }}
        />
      </div>
      <div className="filters">
        <button
          type="button"
          disabled={selected.size === 0}
          onClick={() => move([...selected], 'acknowledge')}
        >
          {t('acknowledge')} ({selected.size})
        </button>
        <input
          aria-label={t('reason')}
          placeholder={t('reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button type="button" disabled={selected.size === 0} onClick={() => move([...selected], 'action')}>
          {t('markActioned')}
        </button>
        <button type="button" disabled={selected.size === 0} onClick={() => move([...selected], 'dismiss')}>
          {t('dismiss')}
        </button>
      </div>
      <Status message={message} />
      {inbox.error && <p className="error">{inbox.error}</p>}
      {inbox.data ? (
        <Table rows={inbox.data.items} columns={columns} rowKey={(a) => a.id} testId="alert-table" />
      ) : (
        <p>{t('loading')}</p>
      )}
      <WatchlistCard />
      <ReviewCalendar />
    </section>
  );
}
