import { createContext, useContext } from 'react';
import { type Locale, type MessageKey, type MessageValues, translate } from './i18n';

export interface LocaleContext {
  readonly locale: Locale;
  readonly t: (key: MessageKey, values?: MessageValues) => string;
}

export const LocaleCtx = createContext<LocaleContext>({
  locale: 'en',
  t: (key, values) => translate('en', key, values),
});
export const useLocale = () => useContext(LocaleCtx);
