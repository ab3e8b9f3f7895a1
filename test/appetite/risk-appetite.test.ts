import { describe, expect, it } from 'vitest';
import {
  DEFAULT_APPETITE,
  measureAppetite,
  pdOfGrade,
  UNSECURED_LGD,
} from '../../src/core/appetite/risk-appetite.js';

const customer = (over: Partial<Parameters<typeof measureAppetite>[0]['customers'][number]>) => ({
  customerId: 'c',
  name: 'C',
  groupId: null,
  groupName: null,
  riskClass: 'B' as const,
  ratingGrade: 3,
  exposureMinor: 0,
  insuredMinor: 0,
  ...over,
});

describe('the book against its risk appetite', () => {
  it('measures each share on a hand-made book, and names what drives a concentration', () => {
    const measures = measureAppetite(
      {
        customers: [
          customer({
            customerId: 'a',
            name: 'Alpha',
            groupId: 'g',
            groupName: 'Group G',
            exposureMinor: 600,
            insuredMinor: 300,
          }),
          customer({
            customerId: 'b',
            name: 'Beta',
            groupId: 'g',
            groupName: 'Group G',
            exposureMinor: 200,
            riskClass: 'D',
            ratingGrade: 8,
          }),
          customer({ customerId: 'c', name: 'Gamma', exposureMinor: 200, riskClass: 'E', ratingGrade: null }),
          customer({ customerId: 'd', name: 'Idle', exposureMinor: 0 }),
        ],
        dsoDays: 75,
      },
      DEFAULT_APPETITE,
    );
    const by = Object.fromEntries(measures.map((m) => [m.measure, m]));
    const expectedLoss = (pdOfGrade(3) * 300 + pdOfGrade(8) * 200 + pdOfGrade(null) * 200) * UNSECURED_LGD;
    expect(by.maxExpectedLossRate?.value).toBeCloseTo(expectedLoss / 1_000, 4);
    expect(by.maxWorstClassesShare).toMatchObject({ value: 0.4, breached: true });
    expect(by.maxSingleNameShare).toMatchObject({ value: 0.6, breached: true, driver: 'Alpha' });
    expect(by.maxGroupShare).toMatchObject({ value: 0.8, breached: true, driver: 'Group G' });
    expect(by.maxUninsuredShare).toMatchObject({ value: 0.7, breached: false });
    expect(by.targetDsoDays).toMatchObject({ value: 75, limit: 60, breached: true });
  });

  it('an empty book breaches nothing', () => {
    expect(
      measureAppetite({ customers: [], dsoDays: null }, DEFAULT_APPETITE).every(
        (m) => !m.breached && m.value === null,
      ),
    ).toBe(true);
  });

  it('takes a grade’s PD from the middle of its band on the master scale', () => {
    expect(pdOfGrade(1)).toBeCloseTo(0.0005, 6);
    expect(pdOfGrade(10)).toBeCloseTo(0.65, 6);
  });
});
