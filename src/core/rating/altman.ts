/** The balance-sheet figures Altman's Z-scores need, in any one unit (minor units are fine). */
export interface Financials {
  readonly totalAssets: number;
  readonly totalLiabilities: number;
  readonly workingCapital: number;
  readonly retainedEarnings: number;
  readonly ebit: number;
  readonly bookEquity: number;
  readonly sales?: number;
}

export type AltmanZone = 'distress' | 'grey' | 'safe';

/**
 * Altman Z″ for non-manufacturers and emerging markets (FORMULAS.md):
 * 6.56·WC/TA + 3.26·RE/TA + 6.72·EBIT/TA + 1.05·BE/TL; distress below 1.1, safe above 2.6.
 */
export function altmanZDoublePrime(f: Financials): { z: number; zone: AltmanZone } | null {
  if (f.totalAssets <= 0 || f.totalLiabilities <= 0) return null;
  const z =
    6.56 * (f.workingCapital / f.totalAssets) +
    3.26 * (f.retainedEarnings / f.totalAssets) +
    6.72 * (f.ebit / f.totalAssets) +
    1.05 * (f.bookEquity / f.totalLiabilities);
  return { z, zone: z < 1.1 ? 'distress' : z > 2.6 ? 'safe' : 'grey' };
}

/** Altman Z′ for private manufacturers: 0.717·X1 + 0.847·X2 + 3.107·X3 + 0.420·X4 + 0.998·X5; zones 1.23 / 2.90. */
export function altmanZPrime(f: Financials): { z: number; zone: AltmanZone } | null {
  if (f.totalAssets <= 0 || f.totalLiabilities <= 0 || f.sales === undefined) return null;
  const z =
    0.717 * (f.workingCapital / f.totalAssets) +
    0.847 * (f.retainedEarnings / f.totalAssets) +
    3.107 * (f.ebit / f.totalAssets) +
    0.42 * (f.bookEquity / f.totalLiabilities) +
    0.998 * (f.sales / f.totalAssets);
  return { z, zone: z < 1.23 ? 'distress' : z > 2.9 ? 'safe' : 'grey' };
}
