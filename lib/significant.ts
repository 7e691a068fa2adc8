// Rounding to significant digits without going through a string: `Number(x.toPrecision(7))` took
// ~0.1 µs a value: 0.04 ms of a 361-point panel, ~1.6 ms for 16 series × 1,000 points.

/** Exact powers of ten, 10^0 … 10^22 (every one of them is a double). */
const exactPowers = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

function scaled(magnitude: number, scale: number): number {
  return scale >= 0 ? magnitude * exactPowers[scale]! : magnitude / exactPowers[-scale]!;
}

/**
 * `Number(value.toPrecision(digits))` (digits 1–15), without the string. The product or quotient
 * by an exact power of ten is off by at most an ulp, which can only change the rounding next to a
 * tie; there the string path decides. Dividing the rounded integer by an exact power of ten gives
 * the double nearest to the decimal, as parsing the string does.
 */
export function roundSignificant(value: number, digits: number): number {
  // -0 too becomes +0, as through the string ("0").
  if (value === 0) return 0;
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  // log10 may be one off next to powers of ten (log10(1000) = 2.9999999999999996): checked below.
  let scale = digits - 1 - Math.floor(Math.log10(magnitude));
  if (Math.abs(scale) > 21) return Number(value.toPrecision(digits));
  let x = scaled(magnitude, scale);
  if (x >= exactPowers[digits]!) x = scaled(magnitude, --scale);
  else if (x < exactPowers[digits - 1]!) x = scaled(magnitude, ++scale);
  const fraction = x - Math.floor(x);
  if (Math.abs(fraction - 0.5) < Math.max(1e-6, x * 1e-14)) return Number(value.toPrecision(digits));
  const rounded = Math.round(x);
  const result = scale >= 0 ? rounded / exactPowers[scale]! : rounded * exactPowers[-scale]!;
  return value < 0 ? -result : result;
}
