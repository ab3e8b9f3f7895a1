import type { SeededRandom } from './random.js';

const CITIES = [
  '上海',
  '深圳',
  '苏州',
  '杭州',
  '宁波',
  '广州',
  '东莞',
  '佛山',
  '天津',
  '青岛',
  '厦门',
  '武汉',
  '成都',
  '重庆',
  '无锡',
  '南京',
  '合肥',
  '郑州',
  '长沙',
  '西安',
];
const CORES = [
  '华鑫',
  '宏达',
  '恒通',
  '瑞丰',
  '金源',
  '永盛',
  '东方',
  '长江',
  '鼎新',
  '嘉禾',
  '泰和',
  '联创',
  '信达',
  '中科',
  '新元',
  '博远',
  '德润',
  '丰华',
  '启航',
  '中联',
  '天成',
  '华晟',
  '宝利',
  '凯达',
  '隆泰',
  '盛世',
  '海纳',
  '锦程',
  '正和',
  '安达',
];
const TRADES = [
  '电子科技',
  '机械制造',
  '化工',
  '纺织品',
  '建材',
  '五金制品',
  '食品',
  '汽车零部件',
  '医疗器械',
  '包装材料',
  '新能源科技',
  '物流',
  '塑胶制品',
  '家具',
  '光电',
  '精密仪器',
];
const FORMS = ['有限公司', '有限公司', '股份有限公司'];

const EN_CORES = [
  'Northwind',
  'Bluewater',
  'Summit',
  'Redwood',
  'Ironbridge',
  'Silverline',
  'Oakridge',
  'Harbor',
  'Granite',
  'Evergreen',
  'Pioneer',
  'Lakeside',
  'Crescent',
  'Atlas',
  'Meridian',
  'Keystone',
  'Brightway',
  'Westfield',
  'Falcon',
  'Highland',
];
const EN_TRADES = [
  'Industrial',
  'Trading',
  'Components',
  'Electronics',
  'Foods',
  'Logistics',
  'Materials',
  'Plastics',
  'Machinery',
  'Packaging',
];

/** A foreign buyer's country and its company suffix, by invoicing currency. */
export const FOREIGN: Record<'USD' | 'EUR', readonly { country: string; suffix: string }[]> = {
  USD: [
    { country: 'US', suffix: 'Inc.' },
    { country: 'SG', suffix: 'Pte. Ltd.' },
    { country: 'HK', suffix: 'Limited' },
  ],
  EUR: [
    { country: 'DE', suffix: 'GmbH' },
    { country: 'FR', suffix: 'S.A.S.' },
    { country: 'NL', suffix: 'B.V.' },
    { country: 'IT', suffix: 'S.r.l.' },
  ],
};

export function chineseCore(random: SeededRandom): string {
  return random.pick(CORES);
}

export function englishCore(random: SeededRandom): string {
  return random.pick(EN_CORES);
}

/** 上海宏达电子科技有限公司: city + brand + trade + legal form. */
export function chineseCompanyName(random: SeededRandom, core: string): string {
  return `${random.pick(CITIES)}${core}${random.pick(TRADES)}${random.pick(FORMS)}`;
}

export function englishCompanyName(random: SeededRandom, core: string, suffix: string): string {
  return `${core} ${random.pick(EN_TRADES)} ${suffix}`;
}

export const SALES_OWNERS = [
  'wang.fang',
  'li.wei',
  'zhang.min',
  'liu.yang',
  'chen.jing',
  'zhao.lei',
  'emma.schmidt',
  'james.carter',
];
