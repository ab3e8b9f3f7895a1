import { invariant } from '../errors.js';

/** How a division that does not come out even is settled. Named at every call site. */
export type RoundingMode = 'half_even' | 'half_up' | 'down';

/** numerator ÷ denominator rounded to an integer, exactly, in bigint. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  invariant(denominator !== 0n, 'division by zero');
  if (denominator < 0n) return divideRounded(-numerator, -denominator, mode);
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  if (mode === 'half_up' && twiceRemainder >= denominator) quotient += 1n;
  if (
    mode === 'half_even' &&
    (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n))
  )
    quotient += 1n;
  return negative ? -quotient : quotient;
}
