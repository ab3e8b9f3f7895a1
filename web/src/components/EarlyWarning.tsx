import { formatDate, type MessageKey } from '../i18n';
import { useLocale } from '../locale';
import { Table } from './Table';
import { useApi } from './useApi';

interface Alert {
  id: string;
  ruleId: string;
  severity: string;
  raisedOn: string;
  endedOn: string | null;
  state: string;
  stateReason: string | null;
}
interface Signal {
  id: string;
  source: string;
  signalType: string;
  severity: string;
  occurredOn: string;
  summary: string;
}

/** On the customer 360: its alerts (live first) and what outside sources reported, newest first. */
export function EarlyWarning({ customerId }: { customerId: string }) {
  const { t, locale } = useLocale();
  const alerts = useApi<{ items: Alert[] }>(`/v1/alerts?customerId=${customerId}&limit=100`);
  const signals = useApi<{ items: Signal[] }>(`/v1/customers/${customerId}/signals`);
  const word = (key: string, fallback: string) => (t(key as MessageKey) as string | undefined) ?? fallback;
  const badge = (severity: string) => (
    <span className={`badge severity-${severity}`}>{word(`severity_${severity}`, severity)}</span>
  );
  return (
    <div className="card wide" data-testid="early-warning">
      <h3>{t('navAlerts')}</h3>
      {!alerts.data && <p className="muted">{alerts.error ?? t('loading')}</p>}
      {alerts.data && (
        <Table
          rows={alerts.data.items}
          rowKey={(a) => a.id}
          columns={[
            { header: t('severity'), cell: (a) => badge(a.severity) },
            { header: t('rule'), cell: (a) => word(`rule_${a.ruleId}`, a.ruleId) },
            { header: t('raisedOn'), cell: (a) => formatDate(a.raisedOn, locale) },
            {
              header: t('state'),
              cell: (a) =>
                `${word(`state_${a.state}`, a.state)}${a.stateReason ? ` — ${a.stateReason}` : ''}`,
            },
          ]}
        />
      )}
      <h3>{t('outsideSignals')}</h3>
      {!signals.data && <p className="muted">{signals.error ?? t('loading')}</p>}
      {signals.data && (
        <Table
          testId="signals"
          rows={signals.data.items}
          rowKey={(s) => s.id}
          columns={[
            { header: t('occurredOn'), cell: (s) => formatDate(s.occurredOn, locale) },
            { header: t('severity'), cell: (s) => badge(s.severity) },
            { header: t('signalType'), cell: (s) => word(`signal_${s.signalType}`, s.signalType) },
            { header: t('summary'), cell: (s) => s.summary },
            { header: t('source'), cell: (s) => s.source },
          ]}
        />
      )}
    </div>
  );
}
