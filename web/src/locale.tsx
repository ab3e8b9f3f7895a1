import { createContext, useContext } from 'react';
import { type Locale, type MessageKey, messages } from './i18n';

export interface LocaleContext {
  readonly locale: Locale;
  readonly t: (key: MessageKey) => string;
}

export const LocaleCtx = createContext<LocaleContext>({ locale: 'en', t: (key) => messages.en[key] });
export const useLocale = () => useContext(LocaleCtx);
