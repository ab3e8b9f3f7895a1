import { useState } from 'react';
import { OUTCOMES } from '../../../src/core/policy/types';
import { api } from '../api';
import { wordFor } from '../codes';
import { Status } from '../components/Status';
import { Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { formatDate, formatMoney, type MessageKey } from '../i18n';
import { useLocale } from '../locale';
import { useCan } from '../me';

interface Policy {
  version: number;
  name: string;
  status: string;
  document: PolicyDocument;
  createdBy: string;
  createdByName?: string;
  createdAt: string;
  activatedBy: string | null;
}
type PolicyDocument = Record<string, unknown> & { name: string };
interface Simulation {
  version: number;
  ordersReplayed: number;
  ordersChanged: number;
  transitions: { transition: string; count: number; valueMinorByCurrency: Record<string, number> }[];
}

/** The knobs the form offers, each a path into the policy document (the rest is edited as JSON). */
const KNOBS: { path: string[]; label: MessageKey; kind: 'text' | 'days' | 'money' | 'outcome' }[] = [
  { path: ['name'], label: 'policyName', kind: 'text' },
  { path: ['newCustomer', 'maxAgeDays'], label: 'newCustomerDays', kind: 'days' },
  { path: ['newCustomer', 'maxOrderMinor'], label: 'newCustomerMaxOrder', kind: 'money' },
  { path: ['newCustomer', 'outcome'], label: 'newCustomerOutcome', kind: 'outcome' },
  { path: ['rating', 'unratedOutcome'], label: 'unratedOutcome', kind: 'outcome' },
  { path: ['blacklist', 'outcome'], label: 'blacklistOutcome', kind: 'outcome' },
  { path: ['stopSupply', 'outcome'], label: 'stopSupplyOutcome', kind: 'outcome' },
];

const knobId = (k: (typeof KNOBS)[number]) => `policy-${k.path.join('-')}`;

const read = (doc: unknown, path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], doc);

/** A copy of `doc` with `value` at `path` (the objects on the way copied, the rest shared). */
function written(doc: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [key, ...rest] = path as [string, ...string[]];
  return {
    ...doc,
    [key]: rest.length === 0 ? value : written((doc[key] as Record<string, unknown>) ?? {}, rest, value),
  };
}

/**
 * Credit policies (C1): the versions, one opened in a form over its document (the main knobs as
 * fields, the whole as JSON), saved as a new draft, replayed against the recorded decisions, and
 * activated by a credit manager who did not write it (the server refuses the author).
 */
export function Policies() {
  const { t, locale } = useLocale();
  const can = useCan();
  // The stored versions, newest first, then the built-in default (version 0) they all start from.
  const list = useApi<{ items: Policy[] }>('policies', async () => {
    const stored = await api<{ items: Policy[] }>('/v1/credit-policies');
    return { items: [...stored.items, await api<Policy>('/v1/credit-policies/0')] };
  });
  const [text, setText] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [simulation, setSimulation] = useState<Simulation | null>(null);
  const parsed = (() => {
    if (text === null) return null;
    try {
      return { doc: JSON.parse(text) as Record<string, unknown>, error: null };
    } catch (e) {
      return { doc: null, error: (e as Error).message };
    }
  })();
  const act = async (run: () => Promise<string>) => {
    try {
      setMessage(await run());
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  const open = (p: Policy) => {
    setText(JSON.stringify(p.document, null, 2));
    setSimulation(null);
    setMessage(t('policyOpened', { version: p.version }));
  };
  const save = () =>
    act(async () => {
      if (!parsed?.doc) throw new Error(t('policyJsonInvalid'));
      const saved = await api<Policy>('/v1/credit-policies', { method: 'POST', body: parsed.doc });
      return t('policySaved', { version: saved.version });
    });
  const simulate = (version: number) =>
    act(async () => {
      const result = await api<Simulation>(`/v1/credit-policies/${version}/simulate`, {
        method: 'POST',
        body: {},
      });
      setSimulation(result);
      return t('policySimulated', {
        version,
        changed: result.ordersChanged,
        replayed: result.ordersReplayed,
      });
    });
  const activate = (version: number) =>
    act(async () => {
      await api(`/v1/credit-policies/${version}/activate`, { method: 'POST' });
      return t('policyActivated', { version });
    });
  const knob = (k: (typeof KNOBS)[number]) => {
    const doc = parsed?.doc;
    const value = doc ? read(doc, k.path) : undefined;
    const set = (next: unknown) => doc && setText(JSON.stringify(written(doc, k.path, next), null, 2));
    const label = t(k.label);
    const id = knobId(k);
    if (k.kind === 'outcome')
      return (
        <select id={id} aria-label={label} value={String(value ?? '')} onChange={(e) => set(e.target.value)}>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {wordFor(o, locale)}
            </option>
          ))}
        </select>
      );
    if (k.kind === 'text')
      return (
        <input id={id} aria-label={label} value={String(value ?? '')} onChange={(e) => set(e.target.value)} />
      );
    // Money in major units on the form, minor units in the document.
    const scale = k.kind === 'money' ? 100 : 1;
    return (
      <input
        id={id}
        aria-label={label}
        type="number"
        min="0"
        step={k.kind === 'money' ? '0.01' : '1'}
        value={typeof value === 'number' ? value / scale : ''}
        onChange={(e) => set(Math.round(Number(e.target.value) * scale))}
      />
    );
  };
  return (
    <div>
      <section className="card">
        <h2>{t('navPolicies')}</h2>
        {list.error && <p className="error">{list.error}</p>}
        <Table
          testId="policies"
          rows={list.data?.items ?? []}
          rowKey={(p) => String(p.version)}
          columns={[
            { header: t('version'), numeric: true, cell: (p) => p.version },
            { header: t('policyName'), cell: (p) => p.name },
            { header: t('status'), cell: (p) => wordFor(p.status, locale) },
            {
              header: t('createdBy'),
              cell: (p) => `${p.createdBy}, ${formatDate(p.createdAt.slice(0, 10), locale)}`,
            },
            {
              header: t('actions'),
              cell: (p) => (
                <span className="actions">
                  <button type="button" className="link" onClick={() => open(p)}>
                    {t('openPolicy')}
                  </button>
                  {can('policy.write') && (
                    <button type="button" className="link" onClick={() => void simulate(p.version)}>
                      {t('simulate')}
                    </button>
                  )}
                  {can('policy.activate') && p.status === 'draft' && (
                    <button type="button" className="link" onClick={() => void activate(p.version)}>
                      {t('activate')}
                    </button>
                  )}
                </span>
              ),
            },
          ]}
        />
        <Status message={message} />
        {simulation && (
          <ul data-testid="policy-simulation">
            {simulation.transitions.map((x) => (
              <li key={x.transition}>
                {x.transition}: {x.count} (
                {Object.entries(x.valueMinorByCurrency)
                  .map(([currency, minor]) => formatMoney(minor, currency, locale))
                  .join(', ')}
                )
              </li>
            ))}
          </ul>
        )}
      </section>
      {parsed && (
        <section className="card" data-testid="policy-editor">
          <h3>{t('policyEditor')}</h3>
          <div className="form grid">
            {KNOBS.map((k) => (
              <span key={knobId(k)}>
                <label htmlFor={knobId(k)}>{t(k.label)}</label> {knob(k)}
              </span>
            ))}
          </div>
          <label>
            {t('policyDocument')}
            <textarea
              aria-label={t('policyDocument')}
              className="json"
              rows={16}
              value={text ?? ''}
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          {parsed.error && (
            <p className="error" role="alert">
              {t('policyJsonInvalid')}: {parsed.error}
            </p>
          )}
          {can('policy.write') && (
            <button type="button" className="primary" disabled={!parsed.doc} onClick={() => void save()}>
              {t('saveDraft')}
            </button>
          )}
        </section>
      )}
    </div>
  );
}
