import { describe, expect, it } from 'vitest';
import { withGapMarkers } from './run-plan';

describe('withGapMarkers', () => {
  it('puts one null one step after a hole longer than 1.5 steps, and none on a regular series', () => {
    // step 60 s: 0, 60, [hole at 120, 180], 240 → a null at 60 + 60 = 120 s.
    const points: [number, number][] = [
      [0, 1],
      [60_000, 2],
      [240_000, 3],
    ];
    expect(withGapMarkers(points, 60_000)).toEqual({ t: [0, 60_000, 120_000, 240_000], v: [1, 2, null, 3] });
    expect(
      withGapMarkers(
        [
          [0, 1],
          [60_000, 2],
        ],
        60_000,
      ),
    ).toEqual({ t: [0, 60_000], v: [1, 2] });
  });
});
