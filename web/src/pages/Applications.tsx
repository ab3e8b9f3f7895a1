import { type FormEvent, useState } from 'react';
import { api } from '../api';
import { Status } from '../components/Status';
import { Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { formatDate, formatMoney, type MessageKey } from '../i18n';
import { useLocale } from '../locale';

interface Screening {
  outcome: string;
  reasons: { code: string; outcome: string; values: Record<string, string | number | null> }[];
  conditions: string[];
  altman: { model: string; z: number; zone: string } | null;
  riskClass: string;
  recommendedLimitMinor: number;
}
interface Application {
  id: string;
  legalName: string;
  registrationId: string;
  currency: string;
  requestedLimitMinor: number;
  screening: Screening;
  outcome: string;
  status: string;
  createdAt: string;
  customerId: string | null;
}

const FIGURES = [
  'totalAssets',
  'totalLiabilities',
  'workingCapital',
  'retainedEarnings',
  'ebit',
  'bookEquity',
] as const;
/** Amounts typed in major units (as people write them) become minor units; empty stays empty. */
const minor = (text: string) =>
  text.trim() === '' ? null : Math.round(Number(text.replace(/,/g, '')) * 100);

/** Onboarding (A1): apply for credit for a prospect, see the pre-screen at once; decide the waiting ones. */
export function Applications() {
  const { t, locale } = useLocale();
  const list = useApi<{ items: Application[] }>('/v1/credit-applications');
  const [form, setForm] = useState<Record<string, string>>({
    country: 'CN',
    currency: 'CNY',
    segment: 'mid',
    terms: '30',
  });
  const [result, setResult] = useState<Application | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const field = (name: string) => ({
    name,
    value: form[name] ?? '',
    onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })),
  });
  const words = (key: string, fallback: string) => (t(key as MessageKey) as string | undefined) ?? fallback;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const figures = FIGURES.map((f) => minor(form[f] ?? ''));
    const financials = figures.every((v) => v !== null)
      ? Object.fromEntries(FIGURES.map((f, i) => [f, figures[i]]))
      : null;
    try {
      const made = await api<Application>('/v1/credit-applications', {
        method: 'POST',
        body: {
          legalName: form.legalName ?? '',
          registrationId: form.registrationId ?? '',
          country: form.country,
          currency: form.currency,
          segment: form.segment,
          ...(form.contact ? { contacts: [{ name: form.contact }] } : {}),
          requestedLimitMinor: minor(form.limit ?? '') ?? 0,
          requestedTermsDays: Number(form.terms),
          expectedMonthlyPurchasesMinor: minor(form.monthly ?? '') ?? 0,
          financials,
        },
      });
      setResult(made);
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  const decide = async (id: string, action: 'approve' | 'reject') => {
    if (!note.trim()) {
      setMessage(t('noteRequired'));
      return;
    }
    try {
      await api(`/v1/credit-applications/${id}/${action}`, { method: 'POST', body: { note } });
      setMessage(action === 'approve' ? t('applicationApproved') : t('applicationRejected'));
      setNote('');
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };

  const screen = (s: Screening, currency: string) => (
    <div data-testid="screening">
      <p>
        <span className={`badge screen-${s.outcome}`}>{words(`screen_${s.outcome}`, s.outcome)}</span>{' '}
        {t('recommendedLimit')} {formatMoney(s.recommendedLimitMinor, currency, locale)} · {t('riskClass')}{' '}
        {s.riskClass}
        {s.altman &&
          ` · Altman ${s.altman.model} ${s.altman.z} (${words(`zone_${s.altman.zone}`, s.altman.zone)})`}
      </p>
      <ul className="reasons">
        {s.reasons.map((r) => (
          <li key={r.code}>
            {words(`screenReason_${r.code}`, r.code)} <code>{r.code}</code>
          </li>
        ))}
      </ul>
      {s.conditions.length > 0 && (
        <p>
          {t('conditions')}: {s.conditions.map((c) => words(`condition_${c}`, c)).join(', ')}
        </p>
      )}
    </div>
  );

  return (
    <section data-testid="applications">
      <h2>{t('navApply')}</h2>
      <form className="card application" onSubmit={submit} data-testid="application-form">
        <label>
          {t('legalName')} <input required {...field('legalName')} />
        </label>
        <label>
          {t('registrationId')} <input required {...field('registrationId')} />
        </label>
        <label>
          {t('country')} <input required maxLength={2} {...field('country')} />
        </label>
        <label>
          {t('currency')} <input required maxLength={3} {...field('currency')} />
        </label>
        <label>
          {t('segment')}{' '}
          <select {...field('segment')}>
            <option value="small">small</option>
            <option value="mid">mid</option>
            <option value="large">large</option>
          </select>
        </label>
        <label>
          {t('contact')} <input {...field('contact')} />
        </label>
        <label>
          {t('requestedLimit')} <input required inputMode="decimal" {...field('limit')} />
        </label>
        <label>
          {t('termsDays')} <input required inputMode="numeric" {...field('terms')} />
        </label>
        <label>
          {t('monthlyPurchases')} <input required inputMode="decimal" {...field('monthly')} />
        </label>
        <fieldset>
          <legend>{t('statements')}</legend>
          {FIGURES.map((f) => (
            <label key={f}>
              {t(`figure_${f}` as MessageKey)} <input inputMode="decimal" {...field(f)} />
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          {t('screenApplication')}
        </button>
      </form>
      <Status message={message} />
      {result && <div className="card">{screen(result.screening, result.currency)}</div>}
      <h3>{t('applications')}</h3>
      <input
        aria-label={t('note')}
        placeholder={t('note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <Table
        testId="application-table"
        rows={list.data?.items ?? []}
        rowKey={(a) => a.id}
        columns={[
          {
            header: t('legalName'),
            cell: (a) =>
              a.customerId ? <a href={`#/customer/${a.customerId}`}>{a.legalName}</a> : a.legalName,
          },
          { header: t('registrationId'), cell: (a) => a.registrationId },
          {
            header: t('requestedLimit'),
            numeric: true,
            cell: (a) => formatMoney(a.requestedLimitMinor, a.currency, locale),
          },
          { header: t('screen'), cell: (a) => words(`screen_${a.outcome}`, a.outcome) },
          { header: t('state'), cell: (a) => words(`application_${a.status}`, a.status) },
          { header: t('raisedOn'), cell: (a) => formatDate(a.createdAt, locale) },
          {
            header: '',
            cell: (a) =>
              a.status === 'screened' ? (
                <span className="actions">
                  <button type="button" onClick={() => decide(a.id, 'approve')}>
                    {t('approve')}
                  </button>
                  <button type="button" onClick={() => decide(a.id, 'reject')}>
                    {t('reject')}
                  </button>
                </span>
              ) : null,
          },
        ]}
      />
    </section>
  );
}
