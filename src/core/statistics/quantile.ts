/** The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics; null for no values. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lower = Math.floor(at);
  const upper = Math.ceil(at);
  return (sorted[lower] as number) + ((sorted[upper] as number) - (sorted[lower] as number)) * (at - lower);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);
