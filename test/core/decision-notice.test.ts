import { describe, expect, it } from 'vitest';
import type { CurrencyCode } from '../../src/core/money/currency.js';
import { decisionNotice } from '../../src/core/policy/decision-notice.js';

const held = {
  customerName: 'Suzhou Lianhe Textiles',
  orderReference: 'SO-7',
  amountMinor: 5_000_000,
  currency: 'CNY' as CurrencyCode,
  reasons: [
    { code: 'exceeds_available_credit', outcome: 'hold' as const },
    { code: 'overdue_tolerated', outcome: 'approve' as const },
  ],
};

describe("the customer's letter on an order", () => {
  it('names the adverse reasons while the order is held', () => {
    const notice = decisionNotice({ ...held, outcome: 'hold' }, 'en');
    expect(notice.body).toContain(
      'your order SO-7 of CNY 50,000.00 is on hold pending a credit review, for these reasons:',
    );
    expect(notice.body).toContain('- The order exceeds the credit available on your account.');
    expect(notice.body).not.toContain('overdue');
  });

  it('says a released order is approved, with no objections left, in either language', () => {
    const en = decisionNotice({ ...held, outcome: 'released' }, 'en');
    expect(en.body).toContain('your order SO-7 of CNY 50,000.00 has been approved after a credit review.');
    expect(en.body).not.toContain('- ');
    const zh = decisionNotice({ ...held, outcome: 'released' }, 'zh-CN');
    expect(zh.body).toContain('贵公司订单 SO-7（金额 CNY 50,000.00）经信用审核已获批准。');
  });
});
