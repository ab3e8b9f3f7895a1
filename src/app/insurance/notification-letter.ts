import { DomainError } from '../../core/errors.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { formatMajorAmount } from '../../core/money/parse.js';
import { type BusinessDate, parseBusinessDate } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';
import { pdfDocument, tableRow } from '../reports/pdf.js';
import { listNotifications } from './deadline-tracker.js';

/**
 * The letter that tells the insurer of the overdue invoices notified on one day, as a PDF: the
 * policy, and per invoice the buyer (with its registration id), the invoice, its due date and what
 * is open — in the two languages a Chinese insurer's desk reads.
 */
export async function notificationLetter(executor: Executor, notifiedOnText: string): Promise<Buffer> {
  const notifiedOn = parseBusinessDate(notifiedOnText, 'notifiedOn') as BusinessDate;
  const rows = (await listNotifications(executor, notifiedOn)).items.filter(
    (r) => r.notifiedOn === notifiedOn,
  );
  if (rows.length === 0)
    throw new DomainError(
      'no_notifications',
      `nothing was notified to the insurer on ${notifiedOn}`,
      'notifiedOn',
    );
  const policy = await executor
    .selectFrom('insurance_policies')
    .select(['insurer', 'policy_number'])
    .where('policy_number', '=', rows[0]?.policyNumber ?? '')
    .executeTakeFirstOrThrow();
  const { doc, bytes } = pdfDocument(`Overdue notification ${notifiedOn}`);
  doc.fontSize(16).text('逾期申报函 — Notification of overdue debts');
  doc.moveDown(0.5).fontSize(10);
  doc.text(`致 To: ${policy.insurer}`);
  doc.text(`保单号 Policy number: ${policy.policy_number}`);
  doc.text(`申报日期 Date: ${notifiedOn}`);
  doc.moveDown();
  doc.text(
    '根据保单条款，我司现就下列买方的逾期应收账款向贵司申报。We hereby notify you, under the terms of the policy, of the following overdue receivables.',
  );
  doc.moveDown();
  const columns = [50, 210, 300, 370, 440];
  const line = (cells: string[]) => tableRow(doc, columns, cells);
  doc.fontSize(9);
  line(['买方 Buyer', '发票 Invoice', '开票 Issued', '到期 Due', '未付 Open']);
  const total = new Map<string, number>();
  for (const r of rows) {
    line([
      `${r.buyer}${r.buyerRegistrationId ? `\n${r.buyerRegistrationId}` : ''}`,
      r.invoiceNumber,
      r.issueDate,
      r.dueDate,
      `${r.currency} ${formatMajorAmount(r.openMinor, r.currency as CurrencyCode)}`,
    ]);
    total.set(r.currency, (total.get(r.currency) ?? 0) + r.openMinor);
  }
  doc.moveDown();
  for (const [currency, minor] of total)
    doc.text(`合计 Total ${currency} ${formatMajorAmount(minor, currency as CurrencyCode)} (${rows.length})`);
  doc.end();
  return bytes;
}
