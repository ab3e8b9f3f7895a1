import type { Locale } from '../policy/explain.js';
import type { FeatureName } from './late-payment.js';

// Each feature named neutrally: a reason says which feature cost the customer the most points
// against its best value, and the customer's own value shows which way.
const TEXT: Record<Locale, Record<FeatureName, string>> = {
  en: {
    historyInvoices: 'Length of payment history (invoices)',
    monthsTrading: 'Months trading with us',
    lateShare: 'Share of invoices paid late',
    meanDaysLate: 'Average days paid late',
    meanDaysToPay: 'Average days taken to pay',
    daysLateTrend: 'Change in days late over six months',
    partialPaymentShare: 'Share of invoices paid in parts',
    creditedShare: 'Share of sales credited (claims, disputes)',
    growth: 'Change in purchases over six months',
    termsDays: 'Payment terms (days)',
    segment: 'Customer size segment',
  },
  'zh-CN': {
    historyInvoices: '付款记录长度（发票数）',
    monthsTrading: '合作月数',
    lateShare: '逾期付款发票比例',
    meanDaysLate: '平均逾期天数',
    meanDaysToPay: '平均付款天数',
    daysLateTrend: '近六个月逾期天数变化',
    partialPaymentShare: '分次付款发票比例',
    creditedShare: '红字冲销占销售比例（索赔、争议）',
    growth: '近六个月采购额变化',
    termsDays: '账期（天）',
    segment: '客户规模类别',
  },
};

export function reasonText(feature: string, locale: Locale): string {
  return TEXT[locale][feature as FeatureName] ?? feature;
}
