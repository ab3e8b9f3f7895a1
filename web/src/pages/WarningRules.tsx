import { useContext, useState } from 'react';
import { ROLES } from '../../../src/core/access/roles';
import { RULE_KINDS, type RuleKindName } from '../../../src/core/monitoring/rule-kinds';
import { ACTIONS, SEVERITIES } from '../../../src/core/monitoring/warning-rules';
import { ApiError, api } from '../api';
import { wordFor } from '../codes';
import { Status } from '../components/Status';
import { Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { formatDate, formatNumber, type MessageKey } from '../i18n';
import { useLocale } from '../locale';
import { MeCtx, useCan } from '../me';

interface Rule {
  id: string;
  kind: RuleKindName;
  params: Record<string, number>;
  severity: string;
  ownerRole: string;
  slaDays: number;
  action: string;
}
interface RuleSet {
  version: number;
  status: string;
  rules: Rule[];
  createdByName?: string;
  createdAt?: string;
  activatedByName?: string | null;
}
interface RuleSets {
  activeVersion: number;
  builtIn: RuleSet;
  versions: RuleSet[];
}
interface Figures {
  customers: number;
  defaulters: number;
  defaultersWarned: number;
  warnedNotDefaulted: number;
  leadDays: { median: number | null };
}
interface Backtest extends Figures {
  version: number;
  from: string;
  to: string;
  rules: (Figures & { ruleId: string; severity: string; alerts: number })[];
}

/** A rule as typed in the form: every number still text until it is sent. */
interface RuleInput extends Omit<Rule, 'params' | 'slaDays'> {
  params: Record<string, string>;
  slaDays: string;
  /** Which row of the form it is, kept while rows are added and removed. */
  row: number;
}

let rows = 0;

const RULE_ID = /^[a-z][a-z0-9_]{0,59}$/;
const KIND_NAMES = Object.keys(RULE_KINDS) as RuleKindName[];
// Amounts are typed in major units (the report currency's), stored in minor units.
const isMoney = (param: string) => param.endsWith('Minor');
const shown = (param: string, value: number) => String(isMoney(param) ? value / 100 : value);
const stored = (param: string, text: string) =>
  isMoney(param) ? Math.round(Number(text) * 100) : Number(text);

const inputOf = (rule: Rule): RuleInput => ({
  ...rule,
  row: rows++,
  params: Object.fromEntries(Object.entries(rule.params).map(([k, v]) => [k, shown(k, v)])),
  slaDays: String(rule.slaDays),
});
const freshRule = (kind: RuleKindName, n: number): RuleInput => ({
  row: rows++,
  id: `${kind}_${n}`,
  kind,
  params: Object.fromEntries(Object.entries(RULE_KINDS[kind].defaults).map(([k, v]) => [k, shown(k, v)])),
  severity: 'medium',
  ownerRole: 'credit_analyst',
  slaDays: '3',
  action: 'review',
});

/** What is wrong with the rules as typed, said per rule before anything is sent. */
function problemsOf(
  rules: readonly RuleInput[],
  t: (key: MessageKey, values?: Record<string, string | number>) => string,
) {
  const problems: string[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (!RULE_ID.test(rule.id)) problems.push(t('ruleIdInvalid', { n: i + 1 }));
    else if (seen.has(rule.id)) problems.push(t('ruleIdTwice', { id: rule.id }));
    seen.add(rule.id);
    for (const [param, text] of Object.entries(rule.params))
      if (text.trim() === '' || !Number.isFinite(Number(text)))
        problems.push(t('ruleParamInvalid', { id: rule.id, param: t(`param_${param}` as MessageKey) }));
  });
  if (rules.length === 0) problems.push(t('rulesEmpty'));
  return problems;
}

/**
 * The warning rules (D1) as a form: each rule a condition — a kind with its thresholds — and what
 * follows (severity, owner, days to act, suggested action). Saved as a draft, back-tested over the
 * last year against the customers who defaulted, activated by a credit manager who did not write it.
 */
export function WarningRules() {
  const { t, locale } = useLocale();
  const can = useCan();
  const me = useContext(MeCtx);
  const sets = useApi<RuleSets>('/v1/warning-rules');
  const [rules, setRules] = useState<RuleInput[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [backtest, setBacktest] = useState<Backtest | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (run: () => Promise<string>) => {
    setBusy(true);
    try {
      setMessage(await run());
    } catch (e) {
      const field = e instanceof ApiError && e.field ? ` (${e.field})` : '';
      setMessage(`${t('error')}: ${(e as Error).message}${field}`);
    } finally {
      setBusy(false);
    }
  };
  const all = sets.data ? [...sets.data.versions, { ...sets.data.builtIn, createdByName: t('builtIn') }] : [];
  const to = me?.today ?? '';
  const from = to && new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const tryVersion = (version: number) =>
    act(async () => {
      const result = await api<Omit<Backtest, 'version'>>(
        `/v1/alerts/backtest?from=${from}&to=${to}&version=${version}`,
      );
      setBacktest({ ...result, version });
      return t('rulesBacktested', { version });
    });
  const problems = rules ? problemsOf(rules, t) : [];
  const save = () =>
    act(async () => {
      if (!rules || problems.length > 0) throw new Error(problems.join('; '));
      const saved = await api<RuleSet>('/v1/warning-rules', {
        method: 'POST',
        body: {
          rules: rules.map((r) => ({
            id: r.id,
            kind: r.kind,
            params: Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, stored(k, v)])),
            severity: r.severity,
            ownerRole: r.ownerRole,
            slaDays: Number(r.slaDays),
            action: r.action,
          })),
        },
      });
      return t('rulesSaved', { version: saved.version });
    });
  const activate = (version: number) =>
    act(async () => {
      await api(`/v1/warning-rules/${version}/activate`, { method: 'POST' });
      return t('rulesActivated', { version });
    });
  const change = (i: number, next: Partial<RuleInput>) =>
    setRules((before) => before?.map((r, j) => (j === i ? { ...r, ...next } : r)) ?? null);
  const select = (
    i: number,
    field: 'severity' | 'ownerRole' | 'action',
    options: readonly string[],
    words: (o: string) => string,
  ) => (
    <select
      aria-label={`${t(field === 'ownerRole' ? 'owner' : field === 'action' ? 'suggestedAction' : 'severity')} ${i + 1}`}
      value={rules?.[i]?.[field] ?? ''}
      onChange={(e) => change(i, { [field]: e.target.value })}
    >
      {options.map((o) => (
        <option key={o} value={o}>
          {words(o)}
        </option>
      ))}
    </select>
  );
  return (
    <div>
      <section className="card">
        <h2>{t('navWarningRules')}</h2>
        {sets.error && <p className="error">{sets.error}</p>}
        <Table
          testId="warning-rule-sets"
          rows={all}
          rowKey={(r) => String(r.version)}
          columns={[
            { header: t('version'), numeric: true, cell: (r) => r.version },
            { header: t('status'), cell: (r) => wordFor(r.status, locale) },
            { header: t('rules'), numeric: true, cell: (r) => r.rules.length },
            {
              header: t('createdBy'),
              cell: (r) =>
                r.createdAt
                  ? `${r.createdByName}, ${formatDate(r.createdAt, locale)}`
                  : (r.createdByName ?? '—'),
            },
            { header: t('activatedBy'), cell: (r) => r.activatedByName ?? '—' },
            {
              header: t('actions'),
              cell: (r) => (
                <span className="actions">
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      setRules(r.rules.map(inputOf));
                      setMessage(t('rulesOpened', { version: r.version }));
                    }}
                  >
                    {t('openPolicy')}
                  </button>
                  <button
                    type="button"
                    className="link"
                    disabled={busy}
                    onClick={() => void tryVersion(r.version)}
                  >
                    {t('backtest')}
                  </button>
                  {can('policy.activate') && r.status === 'draft' && (
                    <button type="button" className="link" onClick={() => void activate(r.version)}>
                      {t('activate')}
                    </button>
                  )}
                </span>
              ),
            },
          ]}
        />
        <Status message={message} />
        {backtest && (
          <div data-testid="rules-backtest">
            <p>
              {t('backtestSummary', {
                version: backtest.version,
                from: formatDate(backtest.from, locale),
                to: formatDate(backtest.to, locale),
                warned: backtest.defaultersWarned,
                defaulters: backtest.defaulters,
                lead: formatNumber(backtest.leadDays.median, locale, 0),
                false: backtest.warnedNotDefaulted,
              })}
            </p>
            <Table
              rows={backtest.rules}
              rowKey={(r) => r.ruleId}
              columns={[
                { header: t('rule'), cell: (r) => r.ruleId },
                { header: t('severity'), cell: (r) => t(`severity_${r.severity}` as MessageKey) },
                { header: t('alertsRaised'), numeric: true, cell: (r) => r.alerts },
                { header: t('defaultersWarned'), numeric: true, cell: (r) => r.defaultersWarned },
                { header: t('warnedNotDefaulted'), numeric: true, cell: (r) => r.warnedNotDefaulted },
                {
                  header: t('medianLeadDays'),
                  numeric: true,
                  cell: (r) => formatNumber(r.leadDays.median, locale, 0),
                },
              ]}
            />
          </div>
        )}
      </section>
      {rules && (
        <section className="card" data-testid="rules-editor">
          <h3>{t('rulesEditor')}</h3>
          {rules.map((rule, i) => (
            <fieldset key={rule.row} className="rule" data-testid="rule">
              <legend>
                <input
                  aria-label={`${t('ruleId')} ${i + 1}`}
                  value={rule.id}
                  onChange={(e) => change(i, { id: e.target.value })}
                />{' '}
                {t(`ruleKind_${rule.kind}` as MessageKey)}
              </legend>
              {Object.entries(rule.params).map(([param, value]) => (
                <label key={param}>
                  {t(`param_${param}` as MessageKey)}{' '}
                  <input
                    type="number"
                    step="any"
                    aria-label={`${t(`param_${param}` as MessageKey)} ${i + 1}`}
                    value={value}
                    onChange={(e) => change(i, { params: { ...rule.params, [param]: e.target.value } })}
                  />
                </label>
              ))}
              <span>
                {t('severity')} {select(i, 'severity', SEVERITIES, (s) => t(`severity_${s}` as MessageKey))}
              </span>
              <span>
                {t('owner')} {select(i, 'ownerRole', ROLES, (r) => wordFor(`role:${r}`, locale))}
              </span>
              <label>
                {t('slaDays')}{' '}
                <input
                  type="number"
                  min="0"
                  max="365"
                  aria-label={`${t('slaDays')} ${i + 1}`}
                  value={rule.slaDays}
                  onChange={(e) => change(i, { slaDays: e.target.value })}
                />
              </label>
              <span>
                {t('suggestedAction')} {select(i, 'action', ACTIONS, (a) => t(`action_${a}` as MessageKey))}
              </span>
              <button
                type="button"
                className="link"
                onClick={() => setRules(rules.filter((_, j) => j !== i))}
              >
                {t('remove')}
              </button>
            </fieldset>
          ))}
          <p>
            <select
              aria-label={t('addRule')}
              value=""
              onChange={(e) =>
                e.target.value &&
                setRules([...rules, freshRule(e.target.value as RuleKindName, rules.length + 1)])
              }
            >
              <option value="">{t('addRule')}</option>
              {KIND_NAMES.map((k) => (
                <option key={k} value={k}>
                  {t(`ruleKind_${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </p>
          {problems.length > 0 && (
            <ul className="error" role="alert">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          {can('policy.write') && (
            <button
              type="button"
              className="primary"
              disabled={busy || problems.length > 0}
              onClick={() => void save()}
            >
              {t('saveDraft')}
            </button>
          )}
        </section>
      )}
    </div>
  );
}
