import { DomainError } from '../../core/errors.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { formatGroupedAmount } from '../../core/money/parse.js';
import type { Locale } from '../../core/policy/explain.js';
import { bucketOf, emptyBuckets } from '../../core/receivables/aging.js';
import { type BusinessDate, daysBetween } from '../../core/time/business-date.js';
import { exposureView } from '../credit/exposure-view.js';
import { customerStatements } from '../financials/statements.js';
import { LIVE_STATES } from '../monitoring/monitoring-run.js';
import type { Services } from '../services.js';
import { agingTable, facts, heading, pdfDocument, percentText, tableRow } from './pdf.js';

const WORDS = {
  en: {
    title: 'Customer credit report',
    asOf: 'As of',
    customer: 'Customer',
    externalId: 'Account',
    registrationId: 'Registration id',
    country: 'Country',
    segment: 'Segment',
    group: 'Group',
    salesOwner: 'Sales owner',
    position: 'Credit position',
    limit: 'Limit in force',
    exposure: 'Exposure',
    available: 'Available credit',
    utilisation: 'Utilisation',
    overdue: 'Overdue',
    insured: 'Insured exposure',
    rating: 'Rating',
    grade: 'grade',
    riskClass: 'risk class',
    unrated: 'unrated',
    flags: 'Flags',
    blacklisted: 'blacklisted',
    stopSupply: 'supply stopped',
    none: 'none',
    screen: 'Screened at first contact',
    notScreened: 'never screened',
    aging: 'Open invoices by days past due',
    alerts: 'Live early-warning alerts',
    raised: 'raised',
    statements: 'Financial statements',
    periodEnd: 'Period end',
    zone: 'Altman Z″',
    currentRatio: 'Current ratio',
    equity: 'Equity',
    reviews: 'Credit reviews',
    nextReview: 'next review',
  },
  'zh-CN': {
    title: '客户信用报告',
    asOf: '截至',
    customer: '客户',
    externalId: '客户编号',
    registrationId: '统一社会信用代码',
    country: '国家',
    segment: '规模',
    group: '集团',
    salesOwner: '销售负责人',
    position: '信用状况',
    limit: '有效额度',
    exposure: '敞口',
    available: '可用额度',
    utilisation: '额度使用率',
    overdue: '逾期',
    insured: '已投保敞口',
    rating: '评级',
    grade: '等级',
    riskClass: '风险类别',
    unrated: '未评级',
    flags: '标记',
    blacklisted: '黑名单',
    stopSupply: '停止供货',
    none: '无',
    screen: '首次接触筛查',
    notScreened: '未筛查',
    aging: '未结发票账龄（逾期天数）',
    alerts: '未处理的预警',
    raised: '触发于',
    statements: '财务报表',
    periodEnd: '期末',
    zone: 'Altman Z″',
    currentRatio: '流动比率',
    equity: '所有者权益',
    reviews: '信用复核',
    nextReview: '下次复核',
  },
} as const satisfies Record<Locale, Record<string, string | readonly string[]>>;

/**
 * A customer's credit report as a PDF (H5), in the reader's language: who it is, its credit
 * position today, its rating and first-contact screen, its open invoices by age, live alerts, the
 * latest financial statements and the last credit reviews — what a credit file holds on paper.
 */
export async function customerCreditReport(services: Services, customerId: string, locale: Locale) {
  const { db } = services.store;
  const today = services.clock.today();
  const customer = await db
    .selectFrom('customers as c')
    .leftJoin('customer_groups as g', 'g.id', 'c.group_id')
    .innerJoin('credit_profiles as p', 'p.customer_id', 'c.id')
    .select([
      'c.id',
      'c.external_id',
      'c.name',
      'c.registration_id',
      'c.country',
      'c.currency',
      'c.segment',
      'c.sales_owner',
      'g.name as group_name',
      'p.screen_outcome',
    ])
    .where('c.id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
  const w = WORDS[locale];
  const currency = customer.currency as CurrencyCode;
  const money = (minor: number, c: string = currency) =>
    `${c} ${formatGroupedAmount(minor, c as CurrencyCode)}`;
  const position = await exposureView(db, customerId, today);
  const open = await db
    .selectFrom('invoices')
    .select(['due_date', 'open_minor', 'currency'])
    .where('customer_id', '=', customerId)
    .where('open_minor', '>', 0)
    .execute();
  const aging = new Map<string, ReturnType<typeof emptyBuckets>>();
  for (const i of open) {
    const buckets = aging.get(i.currency) ?? emptyBuckets();
    buckets[bucketOf(daysBetween(i.due_date as BusinessDate, today))] += Number(i.open_minor);
    aging.set(i.currency, buckets);
  }
  const alerts = await db
    .selectFrom('alerts')
    .select(['rule_id', 'severity', 'raised_on', 'state'])
    .where('customer_id', '=', customerId)
    .where('state', 'in', LIVE_STATES)
    .orderBy('raised_on', 'desc')
    .limit(20)
    .execute();
  const statements = (await customerStatements(db, customerId)).items.slice(0, 3);
  const reviews = await db
    .selectFrom('credit_reviews')
    .select(['reviewed_on', 'findings', 'limit_decision', 'next_review_on'])
    .where('customer_id', '=', customerId)
    .orderBy('reviewed_on', 'desc')
    .limit(3)
    .execute();

  const { doc, bytes } = pdfDocument(`${w.title} — ${customer.name}`);
  doc.fontSize(16).text(`${w.title}: ${customer.name}`);
  doc.fontSize(9).text(`${w.asOf} ${today}`);
  heading(doc, w.customer);
  facts(doc, [
    [w.externalId, customer.external_id],
    [w.registrationId, customer.registration_id ?? '—'],
    [w.country, customer.country],
    [w.segment, customer.segment],
    [w.group, customer.group_name ?? '—'],
    [w.salesOwner, customer.sales_owner ?? '—'],
  ]);
  heading(doc, w.position);
  const flags = [position.blacklisted && w.blacklisted, position.stopSupply && w.stopSupply].filter(Boolean);
  facts(doc, [
    [w.limit, money(position.limitMinor)],
    [w.exposure, money(position.exposureMinor)],
    [w.available, money(position.availableMinor)],
    [w.utilisation, percentText(position.utilisation)],
    [w.overdue, money(position.overdueMinor)],
    [w.insured, money(position.security.insuredExposureMinor)],
    [
      w.rating,
      position.ratingGrade === null
        ? `${w.unrated}, ${w.riskClass} ${position.riskClass}`
        : `${w.grade} ${position.ratingGrade}, ${w.riskClass} ${position.riskClass} (${position.ratingSource})`,
    ],
    [w.flags, flags.length > 0 ? flags.join(', ') : w.none],
    [w.screen, customer.screen_outcome ?? w.notScreened],
  ]);
  heading(doc, w.aging);
  agingTable(
    doc,
    locale,
    [...aging].map(([currency, buckets]) => ({ currency, buckets })),
  );
  if (aging.size === 0) doc.text(w.none);
  heading(doc, w.alerts);
  for (const a of alerts)
    tableRow(doc, [50, 200, 280], [a.rule_id, a.severity, `${w.raised} ${a.raised_on}`]);
  if (alerts.length === 0) doc.text(w.none);
  heading(doc, w.statements);
  for (const s of statements)
    tableRow(
      doc,
      [50, 150, 300, 420],
      [
        `${w.periodEnd} ${s.periodEnd}`,
        `${w.zone} ${s.ratios.altmanZ ? `${s.ratios.altmanZ.value.toFixed(2)} (${s.ratios.altmanZ.zone})` : '—'}`,
        `${w.currentRatio} ${s.ratios.currentRatio?.toFixed(2) ?? '—'}`,
        `${w.equity} ${money(s.equityMinor, s.currency)}`,
      ],
    );
  if (statements.length === 0) doc.text(w.none);
  heading(doc, w.reviews);
  for (const r of reviews)
    tableRow(
      doc,
      [50, 130, 420],
      [r.reviewed_on, `${r.findings} (${r.limit_decision})`, `${w.nextReview} ${r.next_review_on}`],
    );
  if (reviews.length === 0) doc.text(w.none);
  doc.end();
  return { fileName: `credit-report-${customer.external_id}-${today}.pdf`, pdf: await bytes };
}
