import { useEffect, useMemo, useState } from 'react';
import { api, session } from './api';
import { NotificationBell } from './components/Notifications';
import { type Locale, type MessageKey, type MessageValues, translate } from './i18n';
import { LocaleCtx } from './locale';
import { Alerts } from './pages/Alerts';
import { Applications } from './pages/Applications';
import { Approvals } from './pages/Approvals';
import { Balance } from './pages/Balance';
import { Collections } from './pages/Collections';
import { Customer } from './pages/Customer';
import { Customers } from './pages/Customers';
import { Imports } from './pages/Imports';
import { Insurance } from './pages/Insurance';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { Queue } from './pages/Queue';
import { Reserve } from './pages/Reserve';

interface Me {
  kind: string;
  id: string;
  role: string;
  today: string;
}

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
            {me.role} · {me.kind === 'user' ? me.id : 'API key'}
          </span>
          {switchLanguage}
          <button type="button" className="link" onClick={signOut}>
            {t('signOut')}
          </button>
        </span>
      </header>
      <main>
        {page === 'overview' && <Overview today={me.today} />}
        {page === 'customers' && <Customers />}
        {page === 'customer' && id && <Customer id={id} today={me.today} />}
        {page === 'queue' && <Queue />}
        {page === 'collections' && <Collections />}
        {page === 'approvals' && <Approvals />}
        {page === 'alerts' && <Alerts today={me.today} />}
        {page === 'apply' && <Applications />}
        {page === 'balance' && <Balance />}
        {page === 'reserve' && <Reserve today={me.today} />}
        {page === 'insurance' && <Insurance today={me.today} />}
        {page === 'imports' && <Imports />}
      </main>
    </LocaleCtx.Provider>
  );
}
