import { describe, expect, it } from 'vitest';
import { describeTimeRange, parseTimePoint, refreshIntervalMs, resolveTimeRange, TimeRangeError } from './time-range';

const now = Date.UTC(2026, 10, 24, 12, 0, 0); // 2026-11-24T12:00:00Z

describe('time ranges', () => {
  it('resolves relative points against now', () => {
    expect(parseTimePoint('now', now)).toBe(now);
    expect(parseTimePoint('now-15m', now)).toBe(now - 15 * 60_000);
    expect(parseTimePoint('now-7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTimePoint('now-2w', now)).toBe(now - 14 * 86_400_000);
  });

  it('resolves absolute ISO and epoch points', () => {
    expect(parseTimePoint('2026-11-01T00:00:00Z', now)).toBe(Date.UTC(2026, 10, 1));
    expect(parseTimePoint('1764000000000', now)).toBe(1_764_000_000_000);
  });

  it('rejects garbage with a message that says what is accepted', () => {
    expect(() => parseTimePoint('yesterday', now)).toThrow(/use now, now-6h/);
    expect(() => parseTimePoint('now-5y', now)).toThrow(TimeRangeError);
  });

  it('rejects an end before the start and ranges over 400 days', () => {
    expect(() => resolveTimeRange({ from: 'now', to: 'now-1h' }, now)).toThrow(/after its start/);
    expect(() => resolveTimeRange({ from: 'now-401d', to: 'now' }, now)).toThrow(/400 days/);
    expect(resolveTimeRange({ from: 'now-400d', to: 'now' }, now).fromMs).toBe(now - 400 * 86_400_000);
  });

  it('names quick ranges and absolute ones', () => {
    expect(describeTimeRange({ from: 'now-6h', to: 'now' }, now)).toBe('Last 6 hours');
    expect(describeTimeRange({ from: 'now-3h', to: 'now' }, now)).toBe('Last 3h');
    expect(describeTimeRange({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T06:30:00Z' }, now)).toBe(
      '2026-11-01 00:00 to 2026-11-02 06:30 UTC',
    );
  });

  it('turns refresh intervals into milliseconds', () => {
    expect(refreshIntervalMs('off')).toBe(false);
    expect(refreshIntervalMs('30s')).toBe(30_000);
    expect(refreshIntervalMs('5m')).toBe(300_000);
  });
});
