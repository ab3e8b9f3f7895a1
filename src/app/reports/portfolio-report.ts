import type { CurrencyCode } from '../../core/money/currency.js';
import { formatGroupedAmount } from '../../core/money/parse.js';
import type { Locale } from '../../core/policy/explain.js';
import { portfolioOverview } from '../portfolio/overview.js';
import { bookAging } from '../receivables/receivables-report.js';
import type { Services } from '../services.js';
import { agingTable, facts, heading, pdfDocument, percentText, tableRow } from './pdf.js';

const WORDS = {
  en: {
    title: 'Credit portfolio report',
    asOf: 'As of',
    book: 'The book',
    customers: 'Customers',
    limit: 'Limits in force',
    exposure: 'Exposure',
    available: 'Available credit',
    utilisation: 'Utilisation',
    overdue: 'Overdue',
    overLimit: 'Over their limit',
    blocked: 'Blocked',
    classes: 'By risk class',
    classHeads: ['Class', 'Customers', 'Limit', 'Exposure'],
    aging: 'Receivables by days past due',
    disputed: 'of which disputed',
    top: 'Largest exposures',
    topHeads: ['Customer', 'Class', 'Limit', 'Exposure', 'Used'],
    kpis: (days: number) => `The last ${days} days`,
    ordersDecided: 'Orders decided',
    approvalRate: 'Approved',
    salesEnabled: 'Sales enabled on credit',
    turnaround: 'Median hours to a manual decision',
    lossRate: 'Loss rate, 12 months',
    waiting: 'Waiting this morning',
    held: 'Held orders',
    requests: 'Limit requests',
    disputes: 'Open disputes',
    promises: 'Broken promises',
  },
  'zh-CN': {
    title: '信用组合报告',
    asOf: '截至',
    book: '组合概况',
    customers: '客户数',
    limit: '有效额度',
    exposure: '敞口',
    available: '可用额度',
    utilisation: '额度使用率',
    overdue: '逾期',
    overLimit: '超额度客户',
    blocked: '已冻结',
    classes: '按风险类别',
    classHeads: ['类别', '客户数', '额度', '敞口'],
    aging: '应收账款账龄（逾期天数）',
    disputed: '其中争议',
    top: '最大敞口',
    topHeads: ['客户', '类别', '额度', '敞口', '使用率'],
    kpis: (days: number) => `最近 ${days} 天`,
    ordersDecided: '已决策订单',
    approvalRate: '批准率',
    salesEnabled: '赊销支持的销售额',
    turnaround: '人工决策时长中位数（小时）',
    lossRate: '12 个月损失率',
    waiting: '今日待办',
    held: '暂停订单',
    requests: '额度申请',
    disputes: '未决争议',
    promises: '未兑现承诺',
  },
} as const;

/**
 * The month's portfolio report as a PDF (H5), for the credit committee's pack: the book's limits,
 * exposure and overdue, by risk class, receivables by age, the largest exposures, the team's
 * figures and what waits — the overview page on paper, in the reader's language.
 */
export async function portfolioReport(services: Services, locale: Locale) {
  const overview = await portfolioOverview(services);
  const aging = await bookAging(services.store.db, overview.asOf);
  const w = WORDS[locale];
  const money = (minor: number) =>
    `${overview.currency} ${formatGroupedAmount(minor, overview.currency as CurrencyCode)}`;
  const { doc, bytes } = pdfDocument(`${w.title} ${overview.asOf}`);
  doc.fontSize(16).text(w.title);
  doc.fontSize(9).text(`${w.asOf} ${overview.asOf} · ${overview.currency}`);
  heading(doc, w.book);
  facts(
    doc,
    [
      [w.customers, String(overview.customers)],
      [w.limit, money(overview.limitMinor)],
      [w.exposure, money(overview.exposureMinor)],
      [w.available, money(overview.availableMinor)],
      [w.utilisation, percentText(overview.utilisation)],
      [w.overdue, money(overview.overdueMinor)],
      [w.overLimit, String(overview.overLimit)],
      [w.blocked, String(overview.blocked)],
    ],
    220,
  );
  heading(doc, w.classes);
  tableRow(doc, [50, 120, 220, 370], w.classHeads);
  for (const c of overview.riskClasses)
    tableRow(
      doc,
      [50, 120, 220, 370],
      [c.riskClass, String(c.customers), money(c.limitMinor), money(c.exposureMinor)],
    );
  heading(doc, w.aging);
  agingTable(doc, locale, [{ currency: aging.currency, buckets: aging.buckets }]);
  doc.text(`${w.disputed} ${money(aging.disputedMinor)}`);
  heading(doc, w.top);
  const top = [50, 260, 300, 390, 480];
  tableRow(doc, top, w.topHeads);
  for (const c of overview.topExposures.slice(0, 15))
    tableRow(doc, top, [
      c.name,
      c.riskClass,
      money(c.limitMinor),
      money(c.exposureMinor),
      percentText(c.utilisation),
    ]);
  const k = overview.kpis;
  heading(doc, w.kpis(k.days));
  facts(
    doc,
    [
      [w.ordersDecided, String(k.ordersDecided)],
      [w.approvalRate, percentText(k.approvalRate)],
      [w.salesEnabled, money(k.salesEnabledMinor)],
      [w.turnaround, k.medianTurnaroundHours === null ? '—' : k.medianTurnaroundHours.toFixed(1)],
      [w.lossRate, percentText(k.lossRate12m)],
    ],
    220,
  );
  heading(doc, w.waiting);
  facts(
    doc,
    [
      [w.held, String(overview.alerts.heldOrders)],
      [w.requests, String(overview.alerts.pendingLimitRequests)],
      [w.disputes, String(overview.alerts.openDisputes)],
      [w.promises, String(overview.alerts.brokenPromises)],
    ],
    220,
  );
  doc.end();
  return { fileName: `portfolio-report-${overview.asOf}.pdf`, pdf: await bytes };
}
