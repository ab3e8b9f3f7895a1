import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshLatePaymentScores } from '../../src/app/scoring/late-payment-scores.js';
import {
  blendedGrade,
  ratioTrend,
  type StatementInput,
  statementLimitMinor,
  statementRatios,
  validateStatement,
} from '../../src/core/financials/statements.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

const SOUND: StatementInput = {
  periodEnd: '2025-12-31',
  currency: 'CNY',
  currentAssetsMinor: 48_000_000_00,
  totalAssetsMinor: 95_000_000_00,
  currentLiabilitiesMinor: 30_000_000_00,
  totalLiabilitiesMinor: 52_000_000_00,
  equityMinor: 43_000_000_00,
  retainedEarningsMinor: 21_000_000_00,
  revenueMinor: 160_000_000_00,
  ebitMinor: 9_500_000_00,
  netIncomeMinor: 6_200_000_00,
  interestExpenseMinor: 1_800_000_00,
  inventoryMinor: 15_000_000_00,
};
const DISTRESSED: StatementInput = {
  ...SOUND,
  currentAssetsMinor: 6_000_000_00,
  totalAssetsMinor: 21_000_000_00,
  currentLiabilitiesMinor: 9_500_000_00,
  totalLiabilitiesMinor: 19_000_000_00,
  equityMinor: 2_000_000_00,
  retainedEarningsMinor: -3_500_000_00,
  revenueMinor: 30_000_000_00,
  ebitMinor: -800_000_00,
  netIncomeMinor: -1_200_000_00,
  interestExpenseMinor: 900_000_00,
  inventoryMinor: 2_500_000_00,
};

describe('a statement, its ratios and Z″', () => {
  it('refuses a statement that does not hold together, naming the figure', () => {
    const field = (input: StatementInput) => {
      try {
        validateStatement(input);
        return null;
      } catch (error) {
        return [(error as { code: string }).code, (error as { field?: string }).field];
      }
    };
    expect(field({ ...SOUND, equityMinor: 40_000_000_00 })).toEqual(['unbalanced_statement', 'equityMinor']);
    expect(field({ ...SOUND, currentAssetsMinor: 96_000_000_00 })).toEqual([
      'inconsistent_statement',
      'currentAssetsMinor',
    ]);
    expect(field({ ...SOUND, revenueMinor: -1 })).toEqual(['invalid_amount', 'revenueMinor']);
    expect(field({ ...SOUND, periodEnd: '2025-02-30' })).toEqual(['invalid_date', 'periodEnd']);
    expect(field(SOUND)).toBeNull();
  });

  it('reads liquidity, leverage, coverage, profitability and Z″ with its zone', () => {
    const r = statementRatios(validateStatement(SOUND));
    expect(r.currentRatio).toBeCloseTo(1.6, 10);
    expect(r.quickRatio).toBeCloseTo(33 / 30, 10);
    expect(r.debtToEquity).toBeCloseTo(52 / 43, 10);
    expect(r.interestCoverage).toBeCloseTo(9.5 / 1.8, 10);
    expect(r.netMargin).toBeCloseTo(6.2 / 160, 10);
    // 6.56·18/95 + 3.26·21/95 + 6.72·9.5/95 + 1.05·43/52
    expect(r.altmanZ?.value).toBeCloseTo(
      6.56 * (18 / 95) + 3.26 * (21 / 95) + 6.72 * 0.1 + 1.05 * (43 / 52),
      10,
    );
    expect(r.altmanZ?.zone).toBe('safe');
    expect(statementRatios(validateStatement(DISTRESSED)).altmanZ?.zone).toBe('distress');
    // A half-year's EBIT counts twice in a year's Z″.
    const half = statementRatios(validateStatement({ ...SOUND, periodMonths: 6, ebitMinor: 4_750_000_00 }));
    expect(half.altmanZ?.value).toBeCloseTo(r.altmanZ?.value ?? 0, 10);
    expect(statementLimitMinor(validateStatement(SOUND))).toBe(3_600_000_00); // min(10 % × 43 M, 20 % × 18 M)
    expect(statementLimitMinor(validateStatement(DISTRESSED))).toBe(0); // negative working capital
  });

  it('blends 30 % of the zone’s grade into the behaviour’s, and shows each ratio’s change', () => {
    expect(blendedGrade(4, null)).toBe(4);
    expect(blendedGrade(4, 'distress')).toBe(Math.round(0.7 * 4 + 0.3 * 9));
    expect(blendedGrade(10, 'safe')).toBe(8);
    const now = statementRatios(validateStatement(SOUND));
    const before = statementRatios(validateStatement({ ...SOUND, currentLiabilitiesMinor: 40_000_000_00 }));
    expect(ratioTrend(now, before).currentRatio).toBeCloseTo(1.6 - 1.2, 10);
    expect(ratioTrend(now, null).currentRatio).toBeNull();
  });
});

describe.each(DIALECTS)('statements per customer (%s)', (dialect) => {
  let api: TestApi;
  let customer = '';
  beforeAll(async () => {
    api = await testApi(dialect);
    await seedDemoBook(api.services, { customers: 30, months: 12 });
    customer = (
      await api.services.store.db
        .selectFrom('customers')
        .select('id')
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => api.dispose());

  const post = (body: object) =>
    api.call({ method: 'POST', url: `/v1/customers/${customer}/financial-statements`, payload: body });

  it('records periods, restates one, and reads them newest first with ratios, zone and trend', async () => {
    expect(
      (
        await post({
          ...SOUND,
          periodEnd: '2024-12-31',
          currentLiabilitiesMinor: 40_000_000_00,
          totalLiabilitiesMinor: 52_000_000_00,
        })
      ).statusCode,
    ).toBe(201);
    expect((await post(SOUND)).statusCode).toBe(201);
    const bad = await post({ ...SOUND, equityMinor: 1 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'unbalanced_statement', field: 'equityMinor' });
    expect((await post({ ...SOUND, netIncomeMinor: 6_000_000_00 })).statusCode).toBe(201); // restated
    const read = (
      await api.call({ method: 'GET', url: `/v1/customers/${customer}/financial-statements` })
    ).json();
    expect(read.items.map((s: { periodEnd: string }) => s.periodEnd)).toEqual(['2025-12-31', '2024-12-31']);
    expect(read.items[0]).toMatchObject({ netIncomeMinor: 6_000_000_00, supportedLimitMinor: 3_600_000_00 });
    expect(read.items[0].ratios.altmanZ.zone).toBe('safe');
    expect(read.items[0].trend.currentRatio).toBeCloseTo(1.6 - 1.2, 10);
    const restated = await api.services.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'financial_statement.restated')
      .execute();
    expect(restated).toHaveLength(1);
  });

  it('lets a distressed statement in date pull the rating down at the next scoring', async () => {
    await refreshLatePaymentScores(api.services, 'test');
    const { db } = api.services.store;
    const target = await db
      .selectFrom('credit_profiles')
      .select(['customer_id', 'rating_grade'])
      .where('customer_id', '!=', customer)
      .where('rating_grade', '<=', 5)
      .orderBy('customer_id')
      .executeTakeFirstOrThrow();
    const grade = target.rating_grade as number;
    const distressed = await api.call({
      method: 'POST',
      url: `/v1/customers/${target.customer_id}/financial-statements`,
      payload: DISTRESSED,
    });
    expect(distressed.statusCode).toBe(201);
    await refreshLatePaymentScores(api.services, 'test');
    const after = await db
      .selectFrom('credit_profiles')
      .select('rating_grade')
      .where('customer_id', '=', target.customer_id)
      .executeTakeFirstOrThrow();
    expect(after.rating_grade).toBe(blendedGrade(grade, 'distress'));
  });
});
