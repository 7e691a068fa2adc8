import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  it('doubles from the first delay up to the cap, then stays there', () => {
    // random 0.5 → factor 1: 500, 1000, 2000, 4000, 8000, then 10,000 (16,000 capped).
    const delays = [1, 2, 3, 4, 5, 6, 7].map((failures) => backoffDelayMs(failures, 500, 10_000, () => 0.5));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('spreads each delay over ±50 % so that caches failing together do not retry together', () => {
    expect(backoffDelayMs(3, 500, 10_000, () => 0)).toBe(1000); // 2000 × 0.5
    expect(backoffDelayMs(3, 500, 10_000, () => 0.999)).toBeCloseTo(2998, 0); // 2000 × 1.499
    expect(backoffDelayMs(20, 500, 10_000, () => 0.999)).toBeCloseTo(14_990, 0); // the cap × 1.499
  });
});
