import { invariant } from '../errors.js';
import { assertMinor, sumMinor } from './money.js';

/**
 * Splits `totalMinor` in proportion to `weights` by the largest-remainder method:
 * the parts always add up to the total exactly, no minor unit is created or lost.
 */
export function splitProportionally(totalMinor: number, weights: readonly number[]): number[] {
  assertMinor(totalMinor);
  invariant(weights.length > 0, 'at least one weight');
  invariant(
    weights.every((w) => Number.isSafeInteger(w) && w >= 0),
    'weights are non-negative integers',
  );
  const weightSum = BigInt(sumMinor(weights));
  invariant(weightSum > 0n, 'weights must not all be zero');
  const total = BigInt(totalMinor);
  const sign = total < 0n ? -1n : 1n;
  const magnitude = total * sign;
  const parts = weights.map((w) => (magnitude * BigInt(w)) / weightSum);
  const remainders = weights.map((w, i) => ({ i, r: (magnitude * BigInt(w)) % weightSum }));
  let left = magnitude - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = (parts[i] as bigint) + 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p * sign));
}
