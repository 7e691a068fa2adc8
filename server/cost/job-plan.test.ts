import { describe, expect, it } from 'vitest';
import { dayMs, hourMs, planRanges } from './job-plan';

const day0 = Date.UTC(2026, 10, 1);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('planning the allocation job', () => {
  it('backfills from the first hour Prometheus holds to the last complete hour, newest day first', () => {
    const ranges = planRanges({
      historyStartMs: day0 + 20 * hourMs,
      endMs: day0 + 2 * dayMs + 5 * hourMs,
      records: new Map(),
      latestImports: new Map([['2026-11-02', 7]]),
    });
    expect(ranges.map((r) => [r.day, iso(r.fromMs), iso(r.toMs), r.rerun, r.latestImportId])).toEqual([
      ['2026-11-03', '2026-11-03T00:00:00.000Z', '2026-11-03T05:00:00.000Z', true, null],
      ['2026-11-02', '2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z', true, 7],
      ['2026-11-01', '2026-11-01T20:00:00.000Z', '2026-11-02T00:00:00.000Z', true, null],
    ]);
  });

  it('continues a day where its record stops and leaves finished days alone', () => {
    const ranges = planRanges({
      historyStartMs: day0,
      endMs: day0 + dayMs + 7 * hourMs,
      records: new Map([
        ['2026-11-01', { hoursComputed: 24, latestImportId: 3 }],
        ['2026-11-02', { hoursComputed: 5, latestImportId: 3 }],
      ]),
      latestImports: new Map([
        ['2026-11-01', 3],
        ['2026-11-02', 3],
      ]),
    });
    // 05:00 to 07:00 of the 2nd: 2 new hours, added to the day's record.
    expect(ranges.map((r) => [r.day, iso(r.fromMs), iso(r.toMs), r.rerun])).toEqual([
      ['2026-11-02', '2026-11-02T05:00:00.000Z', '2026-11-02T07:00:00.000Z', false],
    ]);
  });

  it('runs a finished day again, whole, when a newer bill import covers it', () => {
    const ranges = planRanges({
      historyStartMs: day0,
      endMs: day0 + dayMs,
      records: new Map([['2026-11-01', { hoursComputed: 24, latestImportId: 3 }]]),
      latestImports: new Map([['2026-11-01', 4]]),
    });
    expect(ranges).toEqual([{ day: '2026-11-01', fromMs: day0, toMs: day0 + dayMs, rerun: true, latestImportId: 4 }]);
  });

  it('has nothing to do before any history', () => {
    expect(planRanges({ historyStartMs: day0, endMs: day0, records: new Map(), latestImports: new Map() })).toEqual([]);
  });
});
