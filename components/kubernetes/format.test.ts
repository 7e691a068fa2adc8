import { describe, expect, it } from 'vitest';
import { formatAge, formatDurationMs, formatGpuHours, formatGpuRequest, formatUtc, spanMs } from './format';

describe('live page formatting', () => {
  it('prints UTC times whatever the local zone', () => {
    expect(formatUtc('2026-11-24T16:31:03Z')).toBe('2026-11-24 16:31:03 UTC');
    expect(formatUtc('2026-11-24T18:31:03+02:00')).toBe('2026-11-24 16:31:03 UTC');
    expect(formatUtc(null)).toBe('—');
  });

  it('prints ages like kubectl', () => {
    expect(formatDurationMs(45_000)).toBe('45s');
    // 3 min 20 s = 200 s
    expect(formatDurationMs(200_000)).toBe('3m20s');
    // 3 h 4 min = 11,040 s
    expect(formatDurationMs(11_040_000)).toBe('3h4m');
    // 2 d 5 h = 53 h = 190,800 s
    expect(formatDurationMs(190_800_000)).toBe('2d5h');
    expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:12:00Z'))).toBe('12m');
  });

  it('runs an open span to now', () => {
    const now = Date.parse('2026-01-01T01:00:00Z');
    expect(spanMs('2026-01-01T00:30:00Z', null, now)).toBe(1_800_000);
    expect(spanMs('2026-01-01T00:30:00Z', '2026-01-01T00:40:00Z', now)).toBe(600_000);
  });

  it('shows GPU requests and GPU hours', () => {
    expect(formatGpuRequest({ whole: 2, sharedSlices: 0 })).toBe('2');
    expect(formatGpuRequest({ whole: 0, sharedSlices: 1 })).toBe('1 shared');
    expect(formatGpuRequest({ whole: 0, sharedSlices: 0 })).toBe('—');
    // 2 GPUs × 1,200 s = 2,400 GPU-s = 0.67 GPU h
    expect(formatGpuHours(2400)).toBe('0.67');
  });
});
