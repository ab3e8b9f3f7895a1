import type { CurrencyCode } from '../money/currency.js';
import { formatMajorAmount } from '../money/parse.js';
import type { BusinessDate } from '../time/business-date.js';

export const NOTICE_LANGUAGES = ['en', 'zh-CN'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

/** reminder: before or just after due; overdue: a later e-mail; letter: the formal letter; stop: supply stopped. */
export type NoticeKind = 'reminder' | 'overdue' | 'letter' | 'stop_supply';

export interface NoticeItem {
  readonly invoiceNumber: string;
  readonly dueDate: BusinessDate;
  readonly openMinor: number;
  readonly currency: CurrencyCode;
  readonly daysPastDue: number;
}

export interface Notice {
  readonly subject: string;
  readonly body: string;
}

/** 1234567 minor CNY → "CNY 12,345.67": exact digits from minor units, grouped for reading. */
export function displayAmount(amountMinor: number, currency: CurrencyCode): string {
  const [whole = '', fraction] = formatMajorAmount(amountMinor, currency).split('.');
  const digits = whole.startsWith('-') ? whole.slice(1) : whole;
  // Groups of three from the right (a loop, not a regex: a dunning run formats every open item).
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let at = grouped.length; at < digits.length; at += 3) grouped += `,${digits.slice(at, at + 3)}`;
  const sign = digits === whole ? '' : '-';
  return `${currency} ${sign}${fraction === undefined ? grouped : `${grouped}.${fraction}`}`;
}

function totals(items: readonly NoticeItem[]): string[] {
  const byCurrency = new Map<CurrencyCode, number>();
  for (const i of items) byCurrency.set(i.currency, (byCurrency.get(i.currency) ?? 0) + i.openMinor);
  return [...byCurrency].map(([currency, minor]) => displayAmount(minor, currency));
}

const TEXT = {
  en: {
    subject: {
      reminder: (c: string) => `Payment reminder — ${c}`,
      overdue: (c: string) => `Overdue invoices — ${c}`,
      letter: (c: string) => `Formal notice of overdue payment — ${c}`,
      stop_supply: (c: string) => `Deliveries on hold — ${c}`,
    },
    opening: {
      reminder: 'This is a friendly reminder that the following invoices are due for payment:',
      overdue: 'According to our records the following invoices are past due:',
      letter:
        'Despite our earlier reminders, the following invoices remain unpaid. We formally request payment in full within 7 days of this letter:',
      stop_supply:
        'Because the following invoices are seriously overdue, new deliveries are on hold until they are paid:',
    },
    line: (i: NoticeItem) =>
      `  ${i.invoiceNumber}  due ${i.dueDate}  ${displayAmount(i.openMinor, i.currency)}${
        i.daysPastDue > 0 ? `  (${i.daysPastDue} days overdue)` : ''
      }`,
    total: 'Total open:',
    closing:
      'If you have already paid, please disregard this notice. If an invoice is in dispute, reply to this message and we will look into it.',
    greeting: (c: string) => `Dear ${c},`,
    date: (d: string) => `Date: ${d}`,
  },
  'zh-CN': {
    subject: {
      reminder: (c: string) => `付款提醒 — ${c}`,
      overdue: (c: string) => `逾期账款通知 — ${c}`,
      letter: (c: string) => `逾期付款正式催告函 — ${c}`,
      stop_supply: (c: string) => `暂停供货通知 — ${c}`,
    },
    opening: {
      reminder: '温馨提示，以下发票即将或已经到期，请安排付款：',
      overdue: '根据我方记录，以下发票已逾期未付：',
      letter: '经我方多次提醒，以下发票仍未支付。现正式要求贵司自本函发出之日起7日内全额付清：',
      stop_supply: '由于以下发票严重逾期，在款项付清之前，新订单将暂停发货：',
    },
    line: (i: NoticeItem) =>
      `  ${i.invoiceNumber}  到期日 ${i.dueDate}  ${displayAmount(i.openMinor, i.currency)}${
        i.daysPastDue > 0 ? `（逾期 ${i.daysPastDue} 天）` : ''
      }`,
    total: '未付合计：',
    closing: '如已付款，请忽略本通知。如对发票有异议，请回复本邮件，我们将及时处理。',
    greeting: (c: string) => `${c}：`,
    date: (d: string) => `日期：${d}`,
  },
} as const;

/** A dunning e-mail or letter for one customer, listing every item it is about, in one language. */
export function renderNotice(
  language: NoticeLanguage,
  kind: NoticeKind,
  customerName: string,
  today: BusinessDate,
  items: readonly NoticeItem[],
): Notice {
  const t = TEXT[language];
  const body = [
    t.date(today),
    '',
    t.greeting(customerName),
    '',
    t.opening[kind],
    '',
    ...items.map((i) => t.line(i)),
    '',
    `${t.total} ${totals(items).join(', ')}`,
    '',
    t.closing,
  ].join('\n');
  return { subject: t.subject[kind](customerName), body };
}
