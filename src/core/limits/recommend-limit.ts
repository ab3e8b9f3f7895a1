import type { RiskClass } from '../rating/risk-class.js';

export interface LimitRecommendationInput {
  readonly riskClass: RiskClass;
  /** Expected purchases on credit per month, minor units of the limit's currency. */
  readonly expectedMonthlyPurchasesMinor: number;
  readonly termsDays: number;
  readonly netWorthMinor?: number | null;
  readonly workingCapitalMinor?: number | null;
  readonly insuredLimitMinor?: number | null;
}

export interface RecommendationLine {
  readonly step: string;
  readonly valueMinor: number;
  readonly explanation: string;
}

/** How much of the trade need each class may have on credit. */
export const RISK_FACTOR: Readonly<Record<RiskClass, number>> = { A: 1.2, B: 1.0, C: 0.8, D: 0.5, E: 0 };
/** Largest share of the buyer's net worth / working capital we will be owed. */
export const NET_WORTH_SHARE = 0.1;
export const WORKING_CAPITAL_SHARE = 0.2;

/**
 * A recommended limit, explained line by line: the trade need (a month of purchases outstanding
 * for the terms plus the month being billed), scaled by risk class, capped by the buyer's size
 * when known and by the insured cover when there is one.
 */
export function recommendLimit(input: LimitRecommendationInput): {
  recommendedMinor: number;
  lines: RecommendationLine[];
} {
  const lines: RecommendationLine[] = [];
  const cycles = (input.termsDays + 30) / 30;
  const need = Math.round(input.expectedMonthlyPurchasesMinor * cycles);
  lines.push({
    step: 'trade_need',
    valueMinor: need,
    explanation: `expected monthly purchases × (terms ${input.termsDays} days + 30 days billing) ÷ 30 = × ${cycles.toFixed(2)}`,
  });
  let value = Math.floor(need * RISK_FACTOR[input.riskClass]);
  lines.push({
    step: 'risk_class',
    valueMinor: value,
    explanation: `× ${RISK_FACTOR[input.riskClass]} for risk class ${input.riskClass}`,
  });
  const cap = (step: string, capMinor: number, explanation: string) => {
    if (capMinor < value) {
      value = capMinor;
      lines.push({ step, valueMinor: value, explanation: `capped: ${explanation}` });
    } else {
      lines.push({ step, valueMinor: value, explanation: `not binding: ${explanation}` });
    }
  };
  if (input.netWorthMinor != null) {
    cap(
      'net_worth_cap',
      Math.max(0, Math.floor(input.netWorthMinor * NET_WORTH_SHARE)),
      `${NET_WORTH_SHARE * 100}% of net worth`,
    );
  }
  if (input.workingCapitalMinor != null) {
    cap(
      'working_capital_cap',
      Math.max(0, Math.floor(input.workingCapitalMinor * WORKING_CAPITAL_SHARE)),
      `${WORKING_CAPITAL_SHARE * 100}% of working capital`,
    );
  }
  if (input.insuredLimitMinor != null)
    cap('insured_cover_cap', input.insuredLimitMinor, 'the credit insurer’s limit on this buyer');
  return { recommendedMinor: value, lines };
}
