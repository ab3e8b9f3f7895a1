import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { api, type Me, SIGNED_OUT, session, setApiLanguage } from './api';
import { wordFor } from './codes';
import { NotificationBell } from './components/Notifications';
import { type Locale, type MessageKey, type MessageValues, translate } from './i18n';
import { LocaleCtx } from './locale';
import { MeCtx } from './me';
import { Login } from './pages/Login';

// Each page is its own chunk, loaded when first shown: sign-in loads neither charts nor other pages.
const Alerts = lazy(() => import('./pages/Alerts').then((m) => ({ default: m.Alerts })));
const Applications = lazy(() => import('./pages/Applications').then((m) => ({ default: m.Applications })));
const Approvals = lazy(() => import('./pages/Approvals').then((m) => ({ default: m.Approvals })));
const Balance = lazy(() => import('./pages/Balance').then((m) => ({ default: m.Balance })));
const Collections = lazy(() => import('./pages/Collections').then((m) => ({ default: m.Collections })));
const Customer = lazy(() => import('./pages/Customer').then((m) => ({ default: m.Customer })));
const Customers = lazy(() => import('./pages/Customers').then((m) => ({ default: m.Customers })));
const Imports = lazy(() => import('./pages/Imports').then((m) => ({ default: m.Imports })));
const Insurance = lazy(() => import('./pages/Insurance').then((m) => ({ default: m.Insurance })));
const Policies = lazy(() => import('./pages/Policies').then((m) => ({ default: m.Policies })));
const Overview = lazy(() => import('./pages/Overview').then((m) => ({ default: m.Overview })));
const Queue = lazy(() => import('./pages/Queue').then((m) => ({ default: m.Queue })));
const Reserve = lazy(() => import('./pages/Reserve').then((m) => ({ default: m.Reserve })));
const WarningRules = lazy(() => import('./pages/WarningRules').then((m) => ({ default: m.WarningRules })));

const LOCALE_KEY = 'fulcrum.locale';

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash || '#/overview');
  useEffect(() => {
    const onChange = () => setHash(window.location.hash || '#/overview');
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

export function App() {
  const [locale, setLocale] = useState<Locale>(
    (localStorage.getItem(LOCALE_KEY) as Locale | null) ??
      (navigator.language.startsWith('zh') ? 'zh-CN' : 'en'),
  );
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const hash = useHash();
  // Set while rendering, before any page's effect fetches in the new language.
  setApiLanguage(locale);
  const context = useMemo(
    () => ({ locale, t: (key: MessageKey, values?: MessageValues) => translate(locale, key, values) }),
    [locale],
  );

  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem(LOCALE_KEY, locale);
  }, [locale]);
  useEffect(() => {
    if (!session.get()) {
      setChecked(true);
      return;
    }
    api<Me>('/v1/me')
      .then(setMe)
      .catch(() => session.clear())
      .finally(() => setChecked(true));
  }, []);

  // A session the server no longer knows: back to the sign-in, the page's address kept for after.
  useEffect(() => {
    const onSignedOut = () => setMe(null);
    window.addEventListener(SIGNED_OUT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT, onSignedOut);
  }, []);

  const signOut = async () => {
    await api('/v1/sessions/current', { method: 'DELETE' }).catch(() => undefined);
    session.clear();
    setMe(null);
  };
  const { t } = context;
  const switchLanguage = (
    <button
      type="button"
      className="link"
      data-testid="language"
      onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}
    >
      {t('language')}
    </button>
  );
  if (!checked) return null;
  if (!me)
    return (
      <LocaleCtx.Provider value={context}>
        <Login onSignedIn={setMe} languageSwitch={switchLanguage} />
      </LocaleCtx.Provider>
    );

  const [, page = 'overview', id] = hash.split('/');
  const nav = [
    ['overview', t('navOverview')],
    ['customers', t('navCustomers')],
    ['queue', t('navQueue')],
    ['alerts', t('navAlerts')],
    ['apply', t('navApply')],
    ['collections', t('navCollections')],
    ['approvals', t('navApprovals')],
    ['balance', t('navBalance')],
    ['policies', t('navPolicies')],
    ['warning-rules', t('navWarningRules')],
    ['reserve', t('navReserve')],
    ['insurance', t('navInsurance')],
    ['imports', t('navImports')],
  ] as const;
  return (
    <LocaleCtx.Provider value={context}>
      <header className="top">
        <strong className="brand">
          {t('title')} <span className="muted">{t('subtitle')}</span>
        </strong>
        <nav>
          {nav.map(([key, label]) => (
            <a
              key={key}
              href={`#/${key}`}
              className={page === key || (page === 'customer' && key === 'customers') ? 'active' : ''}
            >
              {label}
            </a>
          ))}
        </nav>
        <span className="who">
          <NotificationBell />
          <span data-testid="who">
            {me.name} · {wordFor(`role:${me.role}`, locale)}
          </span>
          {switchLanguage}
          <button type="button" className="link" onClick={signOut}>
            {t('signOut')}
          </button>
        </span>
      </header>
      <main>
        <MeCtx.Provider value={me}>
          <Suspense fallback={<p className="muted">{t('loading')}</p>}>
            {page === 'overview' && <Overview today={me.today} />}
            {page === 'customers' && <Customers />}
            {page === 'customer' && id && <Customer id={id} today={me.today} />}
            {page === 'queue' && <Queue />}
            {page === 'collections' && <Collections />}
            {page === 'approvals' && <Approvals />}
            {page === 'alerts' && <Alerts today={me.today} />}
            {page === 'apply' && <Applications />}
            {page === 'balance' && <Balance />}
            {page === 'policies' && <Policies />}
            {page === 'warning-rules' && <WarningRules />}
            {page === 'reserve' && <Reserve today={me.today} />}
            {page === 'insurance' && <Insurance today={me.today} />}
            {page === 'imports' && <Imports />}
          </Suspense>
        </MeCtx.Provider>
      </main>
    </LocaleCtx.Provider>
  );
}
