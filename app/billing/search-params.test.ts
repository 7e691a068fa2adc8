import { describe, expect, it } from 'vitest';
import { billingFiltersOf, presetPeriod, readBillingView, writeBillingView } from './search-params';

// 2026-11-24 10:00 UTC
const NOW_MS = Date.UTC(2026, 10, 24, 10);

describe('billing view in the URL', () => {
  it('turns presets into [from, to) UTC days', () => {
    expect(presetPeriod('last-month', NOW_MS)).toEqual({ from: '2026-10-01', to: '2026-11-01' });
    // 24 − 29 = day −5 of November = 26 October; to is tomorrow (exclusive).
    expect(presetPeriod('last-30-days', NOW_MS)).toEqual({ from: '2026-10-26', to: '2026-11-25' });
    // November − 11 months = December 2025.
    expect(presetPeriod('last-12-months', NOW_MS)).toEqual({ from: '2025-12-01', to: '2026-12-01' });
  });

  it('reads the shell time range as whole days, and falls back to the last 12 months on nonsense', () => {
    // now-7d = 17 November 10:00 → from the 17th; now = 24th 10:00 → to the 25th (exclusive).
    expect(readBillingView(new URLSearchParams('from=now-7d&to=now'), NOW_MS)).toMatchObject({
      from: '2026-11-17',
      to: '2026-11-25',
      preset: 'custom',
    });
    expect(readBillingView(new URLSearchParams('from=yesterday&to=now'), NOW_MS)).toMatchObject({
      from: '2025-12-01',
      to: '2026-12-01',
      preset: 'last-12-months',
    });
  });

  it('round-trips filters, tags and grouping, and gives the server filter object', () => {
    const query =
      'from=2024-09-01&to=2024-10-01&provider=AWS&service=Amazon+S3&tag=team%3Aml&tag=team%3Aweb&groupBy=tag%3Ateam&granularity=month';
    const view = readBillingView(new URLSearchParams(query), NOW_MS);
    expect(writeBillingView(view).toString()).toBe(query);
    expect(billingFiltersOf(view)).toEqual({
      from: '2024-09-01',
      to: '2024-10-01',
      provider: ['AWS'],
      service: ['Amazon S3'],
      tags: { team: ['ml', 'web'] },
    });
  });
});
