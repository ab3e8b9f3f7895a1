import { describe, expect, it } from 'vitest';
import { preScreen, type ScreenRequest } from '../../src/core/onboarding/pre-screen.js';

// Monthly purchases of 100,000.00 on 30-day terms: a trade need of two months, 200,000.00.
const request: ScreenRequest = {
  requestedLimitMinor: 10_000_000,
  requestedTermsDays: 30,
  expectedMonthlyPurchasesMinor: 10_000_000,
  financials: {
    totalAssets: 500_000_000,
    totalLiabilities: 200_000_000,
    workingCapital: 150_000_000,
    retainedEarnings: 120_000_000,
    ebit: 60_000_000,
    bookEquity: 300_000_000,
  },
};
const clean = { blacklisted: null, signals: [] };

describe('the pre-screen at first contact', () => {
  it('proceeds with a clean, sound applicant asking for less than the recommended limit', () => {
    const result = preScreen(request, clean);
    expect(result).toMatchObject({
      outcome: 'proceed',
      conditions: [],
      riskClass: 'B',
      altman: { model: 'Z″', zone: 'safe' },
    });
    expect(result.recommendedLimitMinor).toBe(20_000_000); // need 200,000.00 × 1.0 for class B
  });

  it('declines a blacklisted registration id, and a critical outside signal within the year', () => {
    const listed = preScreen(request, {
      blacklisted: { by: 'registration_id', customerName: 'Old Co' },
      signals: [],
    });
    expect(listed).toMatchObject({
      outcome: 'decline',
      conditions: [],
      reasons: [expect.objectContaining({ code: 'blacklisted_registration' })],
    });
    const dishonest = preScreen(request, {
      blacklisted: null,
      signals: [{ signalType: 'dishonest_debtor', severity: 'critical', daysAgo: 200 }],
    });
    expect(dishonest.outcome).toBe('decline');
    const longAgo = preScreen(request, {
      blacklisted: null,
      signals: [{ signalType: 'dishonest_debtor', severity: 'critical', daysAgo: 400 }],
    });
    expect(longAgo.outcome).toBe('proceed');
  });

  it('asks a distressed applicant for prepayment, and lowers a limit above the recommended one', () => {
    const distressed = preScreen(
      {
        ...request,
        requestedLimitMinor: 50_000_000,
        financials: {
          ...request.financials,
          workingCapital: -100_000_000,
          retainedEarnings: -80_000_000,
          ebit: -10_000_000,
          bookEquity: 20_000_000,
          totalLiabilities: 480_000_000,
        } as ScreenRequest['financials'],
      },
      clean,
    );
    expect(distressed).toMatchObject({
      outcome: 'proceed_with_conditions',
      riskClass: 'D',
      altman: { zone: 'distress' },
    });
    expect(distressed.conditions.sort()).toEqual(['lower_limit', 'prepayment']);
    expect(distressed.reasons.map((r) => r.code)).toEqual(['altman_distress', 'above_recommended_limit']);
  });

  it('without statements asks for them and screens as a middle class; a name twin asks for an identity check', () => {
    const bare = preScreen(
      { ...request, financials: null },
      { blacklisted: { by: 'name', customerName: 'Same Name Ltd' }, signals: [] },
    );
    expect(bare).toMatchObject({ outcome: 'proceed_with_conditions', riskClass: 'C', altman: null });
    expect(bare.conditions.sort()).toEqual(['financial_statements', 'identity_check']);
  });
});
