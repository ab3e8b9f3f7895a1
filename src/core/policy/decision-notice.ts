import { displayAmount, type Notice, type NoticeLanguage } from '../collections/notices.js';
import type { CurrencyCode } from '../money/currency.js';
import type { Outcome, Reason } from './types.js';

/** Outcomes a customer may contest: anything short of approval as placed. */
export const CONTESTABLE_OUTCOMES: readonly Outcome[] = [
  'approve_with_conditions',
  'hold',
  'escalate',
  'decline',
];

/**
 * The letter a customer gets when an order is not approved as placed (G5): the specific reasons
 * the check actually found, in words a buyer understands, without the policy's internal weights
 * and thresholds, and how to contest the decision.
 */
export interface DecisionNoticeInput {
  readonly customerName: string;
  readonly orderReference: string;
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
  /** The check's outcome, or what a person decided on a held order since: released or rejected. */
  readonly outcome: Outcome | 'released' | 'rejected';
  readonly reasons: readonly Pick<Reason, 'code' | 'outcome'>[];
}

// Reasons a customer is told about, per language. Codes that approve (within credit, overdue
// tolerated) are not adverse and are left out; a code without wording here is never invented.
const ADVERSE: Record<NoticeLanguage, Record<string, string>> = {
  en: {
    customer_blacklisted: 'Your account is closed for new credit sales.',
    stop_supply: 'Deliveries on credit are suspended until overdue invoices are settled.',
    fx_rate_missing: 'We could not convert the amounts of your account today; the review will be repeated.',
    new_customer_cap_exceeded: 'The order is larger than we extend to a new account in its first months.',
    unrated_customer: 'We do not yet have a credit rating for your company.',
    unscreened_customer: 'We have not yet completed a credit assessment of your company.',
    rating_below_cutoff: 'Your company’s credit rating does not allow this amount on credit.',
    regime_rating_cutoff: 'Your company’s credit rating does not allow this amount on credit at present.',
    overdue_too_high: 'Your account has invoices overdue.',
    exceeds_available_credit: 'The order exceeds the credit available on your account.',
    exceeds_group_available_credit: 'The order exceeds the credit available to your group of companies.',
  },
  'zh-CN': {
    customer_blacklisted: '贵公司账户已停止新的赊销。',
    stop_supply: '在逾期发票结清之前，赊销发货暂停。',
    fx_rate_missing: '今日无法折算贵公司账户的金额，我们将重新审核。',
    new_customer_cap_exceeded: '该订单超出我们对新客户在最初几个月给予的赊销额度。',
    unrated_customer: '我们尚未取得贵公司的信用评级。',
    unscreened_customer: '我们尚未完成对贵公司的信用评估。',
    rating_below_cutoff: '贵公司的信用评级不支持以赊销方式购买该金额。',
    regime_rating_cutoff: '在当前经济形势下，贵公司的信用评级不支持以赊销方式购买该金额。',
    overdue_too_high: '贵公司账户有逾期未付的发票。',
    exceeds_available_credit: '该订单超出贵公司账户的可用信用额度。',
    exceeds_group_available_credit: '该订单超出贵公司所属集团的可用信用额度。',
  },
};

const TEXT = {
  en: {
    subject: (ref: string) => `Your order ${ref}: credit review`,
    outcome: {
      approve: 'has been approved',
      approve_with_conditions: 'can be delivered on the conditions below',
      hold: 'is on hold pending a credit review',
      escalate: 'has been referred for a credit review',
      decline: 'cannot be delivered on credit',
      released: 'has been approved after a credit review',
      rejected: 'cannot be delivered on credit after a credit review',
    },
    opening: (name: string, ref: string, amount: string, outcome: string, reasons: boolean) =>
      `Dear ${name},\n\nyour order ${ref} of ${amount} ${outcome}${reasons ? ', for these reasons:' : '.'}`,
    closing:
      'If you believe this decision is wrong, reply to this letter or ask your sales contact: a credit analyst who did not take the decision will review it.\n\nCredit Control',
  },
  'zh-CN': {
    subject: (ref: string) => `贵公司订单 ${ref} 的信用审核`,
    outcome: {
      approve: '已获批准',
      approve_with_conditions: '可在以下条件下发货',
      hold: '正在等待信用审核',
      escalate: '已提交信用审核',
      decline: '无法以赊销方式发货',
      released: '经信用审核已获批准',
      rejected: '经信用审核无法以赊销方式发货',
    },
    opening: (name: string, ref: string, amount: string, outcome: string, reasons: boolean) =>
      `${name}：\n\n贵公司订单 ${ref}（金额 ${amount}）${outcome}${reasons ? '，原因如下：' : '。'}`,
    closing:
      '如认为该决定有误，请回复本函或联系贵公司的销售代表：将由未参与该决定的信用分析师复核。\n\n信用管理部',
  },
} as const;

/** The reason codes a notice states: the adverse ones the check produced, in its order. */
export function adverseReasonCodes(reasons: DecisionNoticeInput['reasons']): string[] {
  return [...new Set(reasons.filter((r) => r.code in ADVERSE.en).map((r) => r.code))];
}

export function decisionNotice(input: DecisionNoticeInput, language: NoticeLanguage): Notice {
  const text = TEXT[language];
  // Released after review: the check's objections no longer stand between the buyer and the goods.
  const lines =
    input.outcome === 'released'
      ? []
      : adverseReasonCodes(input.reasons).map((code) => `- ${ADVERSE[language][code]}`);
  const amount = displayAmount(input.amountMinor, input.currency);
  return {
    subject: text.subject(input.orderReference),
    body: [
      text.opening(
        input.customerName,
        input.orderReference,
        amount,
        text.outcome[input.outcome],
        lines.length > 0,
      ),
      ...lines,
      '',
      text.closing,
    ].join('\n'),
  };
}
