import type { CurrencyCode } from '../money/currency.js';
import { formatMajorAmount } from '../money/parse.js';
import type { Condition, Decision, Reason } from './types.js';

export type Locale = 'en' | 'zh-CN';

export interface ExplainedReason extends Reason {
  readonly message: string;
}
export interface ExplainedCondition extends Condition {
  readonly message: string;
}
export interface ExplainedDecision extends Omit<Decision, 'reasons' | 'conditions'> {
  reasons: ExplainedReason[];
  conditions: ExplainedCondition[];
}

type Values = Reason['values'];
type Say = (v: Values, money: (key: string) => string) => string;

const REGIME_ZH: Record<string, string> = { expansion: '扩张', neutral: '平稳', contraction: '收缩' };

// One sentence per reason code, in each language: what a credit analyst tells sales.
const REASONS: Record<Locale, Record<string, Say>> = {
  en: {
    customer_blacklisted: () => 'The customer is blacklisted.',
    stop_supply: () => 'Supply to the customer is stopped.',
    fx_rate_missing: () => "There is no exchange rate for today to convert the customer's exposure.",
    new_customer_cap_exceeded: (v, m) =>
      `A customer of ${v.customerAgeDays} days may order at most ${m('capMinor')}; this order is ${m('orderMinor')}.`,
    unrated_customer: () => 'The customer has no rating.',
    unscreened_customer: () =>
      'The customer has no rating, and its first-contact screen was not clear (or never ran) and nobody has reviewed it since.',
    rating_below_cutoff: (v) => `Rating grade ${v.ratingGrade} is past the policy's cut-off.`,
    regime_rating_cutoff: (v) =>
      `In an economic ${v.regime} the policy takes grades up to ${v.maxGrade}; the customer is grade ${v.ratingGrade}.`,
    regime_limit_scaled: (v, m) =>
      `In an economic ${v.regime} limits count × ${v.multiplier}: this customer's is ${m('limitMinor')}.`,
    early_warning: (v) => `An early-warning alert of severity ${v.severity} is open on the customer.`,
    review_overdue: (v) => `The customer's periodic credit review is ${v.daysOverdue} days past due.`,
    secured_by_collateral: (_v, m) =>
      `Letters of credit and guarantees of ${m('securedMinor')} add ${m('creditMinor')} to the limit.`,
    uninsured_exposure_over_cap: (_v, m) =>
      `After this order ${m('uninsuredMinor')} of the exposure is not insured, over the cap of ${m('capMinor')}.`,
    overdue_tolerated: (v, m) =>
      `Overdue ${m('overdueMinor')} weighs ${v.overdueIndex} limit-days: within tolerance.`,
    overdue_too_high: (v, m) =>
      `Overdue ${m('overdueMinor')} weighs ${v.overdueIndex} limit-days (amount × days × risk weight ${v.riskWeight}).`,
    within_available_credit: (_v, m) =>
      `The order of ${m('orderMinor')} is within available credit of ${m('availableMinor')}.`,
    exceeds_available_credit: (_v, m) =>
      `The order of ${m('orderMinor')} exceeds available credit of ${m('availableMinor')} by ${m('excessMinor')}.`,
    exceeds_group_available_credit: (_v, m) =>
      `The order of ${m('orderMinor')} exceeds the group's available credit of ${m('availableMinor')} by ${m('excessMinor')}.`,
  },
  'zh-CN': {
    customer_blacklisted: () => '该客户已列入黑名单。',
    stop_supply: () => '该客户已被停止供货。',
    fx_rate_missing: () => '缺少今日汇率，无法换算客户敞口。',
    new_customer_cap_exceeded: (v, m) =>
      `合作${v.customerAgeDays}天的新客户单笔订单上限为${m('capMinor')}，本单为${m('orderMinor')}。`,
    unrated_customer: () => '该客户尚无信用评级。',
    unscreened_customer: () => '该客户尚无信用评级，准入筛查未通过（或未进行），且此后无人复核。',
    rating_below_cutoff: (v) => `信用等级${v.ratingGrade}低于政策门槛。`,
    regime_rating_cutoff: (v) =>
      `经济周期处于${REGIME_ZH[String(v.regime)] ?? v.regime}阶段，政策只接受${v.maxGrade}级及以上；该客户为${v.ratingGrade}级。`,
    regime_limit_scaled: (v, m) =>
      `经济周期处于${REGIME_ZH[String(v.regime)] ?? v.regime}阶段，额度按 × ${v.multiplier} 计：该客户为${m('limitMinor')}。`,
    early_warning: (v) => `该客户有未处理的${v.severity === 'critical' ? '严重' : '高级'}预警。`,
    review_overdue: (v) => `该客户的定期信用复核已逾期${v.daysOverdue}天。`,
    secured_by_collateral: (_v, m) => `信用证与保函${m('securedMinor')}，计入额度${m('creditMinor')}。`,
    uninsured_exposure_over_cap: (_v, m) =>
      `本单后未投保敞口为${m('uninsuredMinor')}，超过上限${m('capMinor')}。`,
    overdue_tolerated: (v, m) => `逾期${m('overdueMinor')}，加权为${v.overdueIndex}额度天，在容忍范围内。`,
    overdue_too_high: (v, m) =>
      `逾期${m('overdueMinor')}，加权为${v.overdueIndex}额度天（金额×天数×风险权重${v.riskWeight}）。`,
    within_available_credit: (_v, m) => `订单${m('orderMinor')}在可用额度${m('availableMinor')}之内。`,
    exceeds_available_credit: (_v, m) =>
      `订单${m('orderMinor')}超出可用额度${m('availableMinor')}，超出${m('excessMinor')}。`,
    exceeds_group_available_credit: (_v, m) =>
      `订单${m('orderMinor')}超出集团可用额度${m('availableMinor')}，超出${m('excessMinor')}。`,
  },
};

const CONDITIONS: Record<Locale, Record<string, (amount: string) => string>> = {
  en: {
    prepay_excess: (a) => `Prepay ${a} before shipment.`,
    partial_release: (a) => `Ship within available credit now; ${a} waits until credit is free.`,
  },
  'zh-CN': {
    prepay_excess: (a) => `发货前预付超额部分${a}。`,
    partial_release: (a) => `先在可用额度内发货，其余${a}待额度释放后发货。`,
  },
};

/** Adds the words to a decision, in the reader's language, with amounts in the customer's currency. */
export function explainDecision(
  decision: Decision,
  currency: CurrencyCode,
  locale: Locale = 'en',
): ExplainedDecision {
  const money = (values: Values) => (key: string) => {
    const v = values[key];
    return typeof v === 'number' ? `${formatMajorAmount(v, currency)} ${currency}` : String(v);
  };
  return {
    ...decision,
    reasons: decision.reasons.map((r) => ({
      ...r,
      message: (REASONS[locale][r.code] ?? (() => r.code))(r.values, money(r.values)),
    })),
    conditions: decision.conditions.map((c) => ({
      ...c,
      message: (CONDITIONS[locale][c.code] ?? (() => c.code))(
        `${formatMajorAmount(c.amountMinor, currency)} ${currency}`,
      ),
    })),
  };
}

export function localeOf(acceptLanguage: string | undefined): Locale {
  return acceptLanguage?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
