import { describe, expect, it } from 'vitest';
import { roundSignificant } from './significant';

/** A deterministic stream of doubles over many magnitudes, signs, and Prometheus-like decimals. */
function* samples(count: number): Generator<number> {
  let state = 0x9e3779b9;
  const next = (): number => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = 0; i < count; i++) {
    const exponent = Math.floor(next() * 40) - 20;
    const sign = next() < 0.2 ? -1 : 1;
    switch (i % 3) {
      case 0:
        yield sign * next() * 10 ** exponent;
        break;
      case 1:
        // Decimal strings as exporters print them: "312.457", "0.8125", "1234567.891".
        yield sign * Number((next() * 10 ** (exponent % 8)).toFixed(Math.floor(next() * 6)));
        break;
      default:
        // Exact decimal ties in the 8th digit and powers of ten, where log10 and rounding are tested.
        yield sign * Number(`${Math.floor(next() * 9_000_000) + 1_000_000}5e${exponent - 7}`);
    }
  }
}

describe('roundSignificant', () => {
  it.each([3, 7, 12])('equals Number(toPrecision(%i)) for every sample, ties included', (digits) => {
    const differing: number[] = [];
    for (const value of samples(200_000)) {
      if (!Object.is(roundSignificant(value, digits), Number(value.toPrecision(digits)))) differing.push(value);
    }
    expect(differing.slice(0, 5)).toEqual([]);
  });

  it('handles powers of ten, zero, non-finite values and extremes', () => {
    for (let e = -30; e <= 30; e++) {
      const power = Number(`1e${e}`);
      expect(roundSignificant(power, 7)).toBe(power);
      expect(roundSignificant(-power, 3)).toBe(-power);
      expect(roundSignificant(power * 0.99999999, 7)).toBe(Number((power * 0.99999999).toPrecision(7)));
    }
    expect(Object.is(roundSignificant(0, 7), 0)).toBe(true);
    // As Number((-0).toPrecision(7)): a -0 would also send a whole panel answer through superjson.
    expect(Object.is(roundSignificant(-0, 7), 0)).toBe(true);
    expect(roundSignificant(Number.NaN, 7)).toBeNaN();
    expect(roundSignificant(Number.POSITIVE_INFINITY, 7)).toBe(Number.POSITIVE_INFINITY);
    expect(roundSignificant(Number.MAX_VALUE, 7)).toBe(Number(Number.MAX_VALUE.toPrecision(7)));
    expect(roundSignificant(Number.MIN_VALUE, 7)).toBe(Number(Number.MIN_VALUE.toPrecision(7)));
    expect(roundSignificant(123.456789, 7)).toBe(123.4568);
    expect(roundSignificant(-0.000123456789, 3)).toBe(-0.000123);
    expect(roundSignificant(1732000000123, 7)).toBe(1732000000000);
  });
});
