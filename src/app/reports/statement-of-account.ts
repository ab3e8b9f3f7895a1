import { DomainError } from '../../core/errors.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { formatGroupedAmount } from '../../core/money/parse.js';
import type { Locale } from '../../core/policy/explain.js';
import { addDays, type BusinessDate, daysBetween } from '../../core/time/business-date.js';
import type { Services } from '../services.js';
import { heading, pdfDocument, tableRow } from './pdf.js';

const WORDS = {
  en: {
    title: 'Statement of account',
    asOf: 'As of',
    account: 'Account',
    open: 'Open invoices',
    heads: ['Invoice', 'Issued', 'Due', 'Amount', 'Open', 'Days overdue'],
    total: 'Total open',
    overdue: 'of which overdue',
    payments: 'Payments received in the last 90 days',
    paymentHeads: ['Received', 'Reference', 'Amount'],
    none: 'none',
    closing: 'Please pay the overdue amounts, or tell us at once if anything above is not right.',
  },
  'zh-CN': {
    title: '对账单',
    asOf: '截至',
    account: '客户编号',
    open: '未结发票',
    heads: ['发票号', '开票日', '到期日', '金额', '未付', '逾期天数'],
    total: '未付合计',
    overdue: '其中逾期',
    payments: '近 90 天收款',
    paymentHeads: ['收款日', '参考号', '金额'],
    none: '无',
    closing: '请支付逾期款项；如上述内容有误，请尽快告知我们。',
  },
} as const satisfies Record<Locale, Record<string, string | readonly string[]>>;

/**
 * A customer's statement of account as a PDF (H5), in the reader's language: every open invoice
 * with what is still open and how late it is, totals per currency (overdue apart), and the
 * payments of the last 90 days — what a customer is sent to agree its balance.
 */
export async function statementOfAccount(services: Services, customerId: string, locale: Locale) {
  const { db } = services.store;
  const today = services.clock.today();
  const customer = await db
    .selectFrom('customers')
    .select(['name', 'external_id'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
  const invoices = await db
    .selectFrom('invoices')
    .select(['invoice_number', 'issue_date', 'due_date', 'amount_minor', 'open_minor', 'currency'])
    .where('customer_id', '=', customerId)
    .where('open_minor', '>', 0)
    .orderBy('due_date')
    .orderBy('invoice_number')
    .execute();
  const payments = await db
    .selectFrom('payments')
    .select(['paid_on', 'external_id', 'amount_minor', 'currency'])
    .where('customer_id', '=', customerId)
    .where('paid_on', '>', addDays(today, -90))
    .where('paid_on', '<=', today)
    .orderBy('paid_on', 'desc')
    .execute();
  const w = WORDS[locale];
  const amount = (minor: number, currency: string) => formatGroupedAmount(minor, currency as CurrencyCode);

  const { doc, bytes } = pdfDocument(`${w.title} — ${customer.name}`);
  doc.fontSize(16).text(`${w.title}: ${customer.name}`);
  doc.fontSize(9).text(`${w.account} ${customer.external_id} · ${w.asOf} ${today}`);
  heading(doc, w.open);
  const columns = [50, 150, 220, 290, 380, 470];
  tableRow(doc, columns, w.heads);
  const totals = new Map<string, { open: number; overdue: number }>();
  for (const i of invoices) {
    const late = Math.max(0, daysBetween(i.due_date as BusinessDate, today));
    tableRow(doc, columns, [
      i.invoice_number,
      i.issue_date,
      i.due_date,
      `${i.currency} ${amount(Number(i.amount_minor), i.currency)}`,
      `${i.currency} ${amount(Number(i.open_minor), i.currency)}`,
      late > 0 ? String(late) : '',
    ]);
    const total = totals.get(i.currency) ?? { open: 0, overdue: 0 };
    total.open += Number(i.open_minor);
    if (late > 0) total.overdue += Number(i.open_minor);
    totals.set(i.currency, total);
  }
  if (invoices.length === 0) doc.text(w.none);
  doc.moveDown(0.5);
  for (const [currency, t] of totals)
    doc.text(
      `${w.total} ${currency} ${amount(t.open, currency)} (${w.overdue} ${currency} ${amount(t.overdue, currency)})`,
    );
  heading(doc, w.payments);
  const paid = [50, 150, 290];
  tableRow(doc, paid, w.paymentHeads);
  for (const p of payments)
    tableRow(doc, paid, [
      p.paid_on,
      p.external_id,
      `${p.currency} ${amount(Number(p.amount_minor), p.currency)}`,
    ]);
  if (payments.length === 0) doc.text(w.none);
  doc.moveDown().fontSize(10).text(w.closing);
  doc.end();
  return { fileName: `statement-${customer.external_id}-${today}.pdf`, pdf: await bytes };
}
