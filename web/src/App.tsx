import { useEffect, useState } from 'react';
import { type Locale, type MessageKey, messages } from './i18n';

export function App() {
  const [locale, setLocale] = useState<Locale>(navigator.language.startsWith('zh') ? 'zh-CN' : 'en');
  const [healthy, setHealthy] = useState<boolean | null>(null);
  const t = (key: MessageKey) => messages[locale][key];

  useEffect(() => {
    fetch('/health')
      .then((r) => setHealthy(r.ok))
      .catch(() => setHealthy(false));
  }, []);

  return (
    <main
      style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '2rem auto', padding: '0 1rem' }}
    >
      <h1>{t('title')}</h1>
      <p>
        {t('status')}:{' '}
        <strong data-testid="health">{healthy === null ? '…' : healthy ? t('ok') : t('down')}</strong>
      </p>
      <p>
        <a href="/docs">{t('apiDocs')}</a>
      </p>
      <button type="button" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
        {t('language')}
      </button>
    </main>
  );
}
