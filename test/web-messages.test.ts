import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { type Locale, type MessageKey, messages, translate } from '../web/src/i18n.js';

type Element = { type: number; value?: string; options?: Record<string, { value: Element[] }> };

/** The argument names a message uses, plurals' branches included. */
function argumentsOf(elements: readonly Element[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type !== 0 && e.type !== 7 && typeof e.value === 'string') into.add(e.value);
    for (const option of Object.values(e.options ?? {})) argumentsOf(option.value, into);
  }
  return into;
}

describe("the dashboard's messages (ICU, FormatJS)", () => {
  const keys = Object.keys(messages.en) as MessageKey[];

  it('every message of both languages is a valid ICU message, with the same placeholders in each', () => {
    for (const key of keys) {
      const names = (['en', 'zh-CN'] as Locale[]).map((locale) => {
        const text = messages[locale][key];
        expect(text, `${locale} ${key}`).toBeTruthy();
        const ast = new IntlMessageFormat(text, locale).getAst() as unknown as Element[];
        return [...argumentsOf(ast)].sort();
      });
      expect(names[1], key).toEqual(names[0]);
    }
    expect(Object.keys(messages['zh-CN']).sort()).toEqual([...keys].sort());
  });

  it('says one and many as each language does', () => {
    expect(translate('en', 'dayCount', { count: 1 })).toBe('1 day');
    expect(translate('en', 'dayCount', { count: 45.5 })).toBe('45.5 days');
    expect(translate('en', 'problemCount', { count: 1200 })).toBe('1,200 problems');
    expect(translate('zh-CN', 'problemCount', { count: 1 })).toBe('1 个问题');
    expect(translate('en', 'unreadCount', { count: 3 })).toBe('3 new');
    expect(translate('zh-CN', 'unreadCount', { count: 3 })).toBe('新 3 条');
    // A message without placeholders is itself; a key made at run time without a message is
    // undefined, so the page's `?? fallback` shows the code (a rule id, a fact) instead.
    expect(translate('en', 'confirm')).toBe('Confirm');
    expect(translate('en', 'rule_made_up' as MessageKey)).toBeUndefined();
  });
});
