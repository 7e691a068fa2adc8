// Exact money arithmetic shared by the model: rounding to a fixed scale and splitting a total by
// weights so that the parts add up to the total exactly (the remainder lands in one part).
import Decimal from 'decimal.js';

/** Money is kept to 10 decimal places: far below a cent, and exact to sum. */
export const MONEY_DECIMAL_PLACES = 10;

export const ZERO = new Decimal(0);

export function roundMoney(value: Decimal): Decimal {
  return value.toDecimalPlaces(MONEY_DECIMAL_PLACES, Decimal.ROUND_HALF_EVEN);
}

export function sumMoney(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/**
 * `total` split in proportion to `weights` (each ≥ 0), rounded to MONEY_DECIMAL_PLACES; the rounding
 * remainder goes to the first of the largest weights, so Σ parts = total exactly. When every
 * weight is zero the whole total goes to part 0 (the caller orders its parts so that is right).
 */
export function splitByWeights(total: Decimal, weights: readonly Decimal[]): Decimal[] {
  if (weights.length === 0) throw new RangeError('splitByWeights needs at least one weight');
  if (weights.some((w) => w.isNegative() || !w.isFinite())) throw new RangeError('weights must be finite and ≥ 0');
  const weightSum = sumMoney(weights);
  if (weightSum.isZero()) return weights.map((_, index) => (index === 0 ? total : ZERO));
  // One division for all parts: the factor's last-digit error is far below the rounding, and the remainder fixes Σ.
  const factor = total.dividedBy(weightSum);
  const parts = weights.map((w) => (w.isZero() ? ZERO : roundMoney(w.times(factor))));
  let largest = 0;
  weights.forEach((w, index) => {
    if (w.greaterThan(weights[largest] ?? ZERO)) largest = index;
  });
  const remainder = total.minus(sumMoney(parts));
  parts[largest] = (parts[largest] ?? ZERO).plus(remainder);
  return parts;
}

/** A quantity the model multiplies by money: finite and ≥ 0, or a RangeError naming it. */
export function checkQuantity(what: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite number ≥ 0, got ${value}`);
  return value;
}

/** A plain number as an exact Decimal (its shortest decimal text, never its binary expansion). */
export function decimalOf(value: number): Decimal {
  return new Decimal(value);
}
