export const NOTIFICATION_KINDS = [
  'approvals',
  'held_orders',
  'alerts',
  'my_orders_decided',
  'broken_promises',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type DigestLanguage = 'en' | 'zh-CN';

export interface WaitingItems {
  readonly kind: NotificationKind;
  readonly count: number;
  readonly unread: number;
  readonly link: string;
}

const LINES: Record<DigestLanguage, Record<NotificationKind, (n: number) => string>> = {
  en: {
    approvals: (n) => `${n} limit ${n === 1 ? 'request waits' : 'requests wait'} for your decision`,
    held_orders: (n) => `${n} held ${n === 1 ? 'order waits' : 'orders wait'} in the queue`,
    alerts: (n) => `${n} open ${n === 1 ? 'alert' : 'alerts'} for your role`,
    my_orders_decided: (n) => `${n} of your held orders ${n === 1 ? 'was' : 'were'} decided this week`,
    broken_promises: (n) => `${n} broken ${n === 1 ? 'promise' : 'promises'} to pay by your customers`,
  },
  'zh-CN': {
    approvals: (n) => `${n} 笔额度申请待您审批`,
    held_orders: (n) => `${n} 笔暂停订单在队列中等待处理`,
    alerts: (n) => `${n} 条预警待您的角色处理`,
    my_orders_decided: (n) => `本周您有 ${n} 笔暂停订单已被处理`,
    broken_promises: (n) => `您的客户有 ${n} 笔付款承诺未兑现`,
  },
};

const WORDS = {
  en: {
    subject: (n: number) => `Fulcrum: ${n} ${n === 1 ? 'thing waits' : 'things wait'} for you`,
    newSubject: (n: number) => `Fulcrum: ${n} new ${n === 1 ? 'thing waits' : 'things wait'} for you`,
    hello: (name: string) => `Good morning ${name},`,
    helloNow: (name: string) => `Hello ${name},`,
    newSince: (n: number) => `(${n} new)`,
    footer: 'Change or stop this digest under the bell in the dashboard.',
    footerNow: 'Change or stop these e-mails under the bell in the dashboard.',
  },
  'zh-CN': {
    subject: (n: number) => `Fulcrum：有 ${n} 项事务待您处理`,
    newSubject: (n: number) => `Fulcrum：新增 ${n} 项事务待您处理`,
    hello: (name: string) => `${name}，早上好：`,
    helloNow: (name: string) => `${name}，您好：`,
    newSince: (n: number) => `（新增 ${n}）`,
    footer: '可在仪表盘的通知铃铛下修改或停止此摘要。',
    footerNow: '可在仪表盘的通知铃铛下修改或停止这些邮件。',
  },
} as const;

/**
 * The daily digest (I4): one line per kind of thing waiting, with how many are new and a link to
 * where it is; nothing to send when nothing waits. As things arrive (`arrived`), only the kinds
 * with something new since the last such e-mail, and nothing to send when nothing is new.
 */
export function digestMail(
  items: readonly WaitingItems[],
  person: { readonly name: string; readonly language: DigestLanguage },
  dashboardUrl: string,
  mode: 'daily' | 'arrived' = 'daily',
): { subject: string; text: string } | null {
  const arrived = mode === 'arrived';
  const waiting = items.filter((i) => (arrived ? i.unread > 0 : i.count > 0));
  if (waiting.length === 0) return null;
  const w = WORDS[person.language];
  const total = waiting.reduce((sum, i) => sum + (arrived ? i.unread : i.count), 0);
  const lines = waiting.map(
    (i) =>
      `- ${LINES[person.language][i.kind](i.count)}${i.unread > 0 ? ` ${w.newSince(i.unread)}` : ''}: ${dashboardUrl}${i.link}`,
  );
  return {
    subject: arrived ? w.newSubject(total) : w.subject(total),
    text: [
      arrived ? w.helloNow(person.name) : w.hello(person.name),
      '',
      ...lines,
      '',
      arrived ? w.footerNow : w.footer,
    ].join('\n'),
  };
}
