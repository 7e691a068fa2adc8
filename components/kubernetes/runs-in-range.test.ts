import { describe, expect, it } from 'vitest';
import type { LiveWorkflow } from '@/server/kubernetes/types';
import { pageOf, runsInRange } from './runs-in-range';

const nowMs = Date.parse('2026-12-03T12:00:00Z');
const hour = 3_600_000;

function run(
  name: string,
  startedAt: string | null,
  finishedAt: string | null,
  createdAt: string | null = startedAt,
): LiveWorkflow {
  return {
    kind: 'Workflow',
    cluster: 'c',
    namespace: 'ml',
    name,
    uid: name,
    resourceVersion: '1',
    createdAt,
    pipeline: 'p',
    creator: null,
    phase: finishedAt ? 'Succeeded' : 'Running',
    startedAt,
    finishedAt,
    progress: null,
    message: null,
    estimatedDurationSeconds: null,
    gpuSeconds: 0,
    steps: [],
  };
}

// The cluster holds runs for about 30 h (Argo's TTL): these six are what the API lists.
const held = [
  run('yesterday', '2026-12-02T08:00:00Z', '2026-12-02T09:00:00Z'),
  run('this-morning', '2026-12-03T06:00:00Z', '2026-12-03T07:00:00Z'),
  run('ended-40-min-ago', '2026-12-03T10:30:00Z', '2026-12-03T11:20:00Z'),
  run('running-since-3h', '2026-12-03T09:00:00Z', null),
  run('started-5-min-ago', '2026-12-03T11:55:00Z', null),
  run('pending', null, null, null),
];

describe('pipeline runs in the selected range', () => {
  it('the last hour lists the runs live in it, newest first: not the same list as 14 days', () => {
    const lastHour = runsInRange(held, nowMs - hour, nowMs, nowMs);
    // pending has no time yet: it exists now, so it sorts as now.
    expect(lastHour.runs.map((r) => r.name)).toEqual([
      'pending',
      'started-5-min-ago',
      'ended-40-min-ago',
      'running-since-3h',
    ]);
    const twoWeeks = runsInRange(held, nowMs - 14 * 24 * hour, nowMs, nowMs);
    expect(twoWeeks.runs).toHaveLength(6);
    expect(twoWeeks.runs.at(-1)!.name).toBe('yesterday');
  });

  it('an absolute range in the past lists only what overlapped it', () => {
    const morning = runsInRange(held, Date.parse('2026-12-03T06:30:00Z'), Date.parse('2026-12-03T08:00:00Z'), nowMs);
    expect(morning.runs.map((r) => r.name)).toEqual(['this-morning']);
  });

  it('tells when the cluster holds runs from: before that the list cannot reach', () => {
    expect(runsInRange(held, 0, nowMs, nowMs).oldestHeldMs).toBe(Date.parse('2026-12-02T08:00:00Z'));
    expect(runsInRange([], 0, nowMs, nowMs).oldestHeldMs).toBeNull();
  });
});

describe('paging', () => {
  const items = Array.from({ length: 120 }, (_, i) => i);
  it('cuts 120 runs into pages of 50, 50 and 20', () => {
    expect(pageOf(items, 0, 50)).toMatchObject({ page: 0, pageCount: 3 });
    expect(pageOf(items, 2, 50).items).toEqual(items.slice(100));
  });

  it('a page past the end (the range shrank) shows the last page', () => {
    expect(pageOf(items.slice(0, 30), 2, 50)).toMatchObject({ page: 0, pageCount: 1, items: items.slice(0, 30) });
  });
});
