import { usccCheckCharacter } from '../core/customers/registration-id.js';
import type { SignalType } from '../core/external-data/signals.js';
import { addDays, type BusinessDate, daysBetween } from '../core/time/business-date.js';
import type { DemoBook } from './generate.js';
import type { SeededRandom } from './random.js';

export interface DemoSignal {
  readonly source: string;
  readonly sourceRef: string;
  readonly customerExternalId: string;
  readonly signalType: SignalType;
  readonly occurredOn: BusinessDate;
  readonly summary: string;
}

/** Administrative divisions of the cities the demo's companies are registered in. */
const DIVISIONS = ['110000', '310000', '440300', '330100', '320500', '350100', '370200', '420100', '510100'];
const USCC_BODY = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function uscc(random: SeededRandom): string {
  let body = `91${random.pick(DIVISIONS)}`;
  for (let i = 0; i < 9; i++) body += random.pick(USCC_BODY.split(''));
  return body + usccCheckCharacter(body);
}

const SUMMARIES: Record<SignalType, string> = {
  legal_representative_change: '法定代表人变更',
  address_change: '注册地址变更',
  business_scope_change: '经营范围变更',
  registered_capital_cut: '注册资本减少',
  status_revoked: '营业执照被吊销',
  deregistered: '企业注销',
  lawsuit_defendant: '作为被告的买卖合同纠纷立案',
  enforcement: '被列为被执行人',
  dishonest_debtor: '被列入失信被执行人名单',
  consumption_restriction: '法定代表人被限制高消费',
  administrative_penalty: '行政处罚',
  abnormal_operations: '被列入经营异常名录',
  equity_pledge: '股权出质',
  bankruptcy_filing: '破产申请立案',
  restructuring: '进入重整程序',
  news_negative: '负面新闻：拖欠供应商货款',
  bureau_downgrade: '征信评级下调',
  insurer_limit_cut: '信用保险限额下调',
  insurer_limit_cancelled: '信用保险限额取消',
};

const SOURCE: Partial<Record<SignalType, string>> = {
  lawsuit_defendant: 'demo-courts',
  enforcement: 'demo-courts',
  dishonest_debtor: 'demo-courts',
  consumption_restriction: 'demo-courts',
  news_negative: 'demo-news',
};

/**
 * Registration ids for the Chinese companies, and what registries, courts and the news said about
 * each: a firm heading for default shows signs months ahead (a lawsuit, then enforcement, the
 * abnormal-operations list, negative news; after it stops paying, the dishonest-debtor list); the
 * healthy ones some noise (a new legal representative, a move, now and then a lawsuit).
 */
export function generateOutsideData(
  random: SeededRandom,
  book: DemoBook,
  start: BusinessDate,
  asOf: BusinessDate,
  defaultDays: ReadonlyMap<string, number>,
): void {
  const span = daysBetween(start, asOf);
  const used = new Set<string>();
  for (const customer of book.customers) {
    if (customer.country !== 'CN') continue;
    let id = uscc(random);
    while (used.has(id)) id = uscc(random);
    used.add(id);
    customer.registrationId = id;
    const signals: [SignalType, number][] = [];
    const defaultDay = defaultDays.get(customer.externalId) ?? Number.POSITIVE_INFINITY;
    if (Number.isFinite(defaultDay)) {
      signals.push(['lawsuit_defendant', defaultDay - random.int(150, 240)]);
      if (random.chance(0.7)) signals.push(['enforcement', defaultDay - random.int(60, 140)]);
      if (random.chance(0.4)) signals.push(['abnormal_operations', defaultDay - random.int(20, 90)]);
      if (random.chance(0.5)) signals.push(['news_negative', defaultDay - random.int(100, 200)]);
      if (random.chance(0.5)) signals.push(['dishonest_debtor', defaultDay + random.int(10, 60)]);
    } else {
      if (random.chance(0.25)) signals.push(['legal_representative_change', random.int(0, span)]);
      if (random.chance(0.15)) signals.push(['address_change', random.int(0, span)]);
      if (random.chance(0.08)) signals.push(['lawsuit_defendant', random.int(0, span)]);
      if (random.chance(0.03)) signals.push(['enforcement', random.int(0, span)]);
      if (random.chance(0.1)) signals.push(['news_negative', random.int(0, span)]);
    }
    signals.forEach(([signalType, day], k) => {
      if (day < 0 || day > span) return;
      const source = SOURCE[signalType] ?? 'demo-registry';
      book.signals.push({
        source,
        sourceRef: `${source}-${customer.externalId}-${k}`,
        customerExternalId: customer.externalId,
        signalType,
        occurredOn: addDays(start, day),
        summary: SUMMARIES[signalType],
      });
    });
  }
}
