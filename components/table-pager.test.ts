import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LivePod } from '@/server/kubernetes/types';
import { PodsTable } from './kubernetes/pods-table';
import { describePage, pageOf } from './table-pager';

function pods(count: number): LivePod[] {
  return Array.from(
    { length: count },
    (_, i) =>
      ({
        kind: 'Pod',
        cluster: 'c1',
        namespace: 'apps',
        name: `worker-${String(i).padStart(5, '0')}`,
        uid: `u${i}`,
        resourceVersion: '1',
        createdAt: '2026-12-01T00:00:00Z',
        labels: {},
        owner: null,
        nodeName: 'node-1',
        phase: 'Running',
        ready: true,
        restarts: 0,
        reason: null,
        startedAt: '2026-12-01T00:00:00Z',
        terminating: false,
        gpuRequest: { whole: 0, sharedSlices: 0 },
      }) as LivePod,
  );
}

describe('pageOf', () => {
  it('cuts 30,000 rows into pages of 100 and says which rows show', () => {
    const items = Array.from({ length: 30_000 }, (_, i) => i);
    const first = pageOf(items, 0);
    expect(first.rows).toHaveLength(100);
    expect(describePage(first, 'pods')).toBe('Showing 1–100 of 30,000 pods');
    const last = pageOf(items, 299);
    expect(last.rows[99]).toBe(29_999);
    expect(describePage(last, 'pods')).toBe('Showing 29,901–30,000 of 30,000 pods');
  });

  it('keeps a page past the end on the last page when the list shrinks, and handles an empty list', () => {
    const shrunk = pageOf(
      Array.from({ length: 150 }, (_, i) => i),
      7,
    );
    expect(shrunk.page).toBe(1);
    expect(shrunk.rows).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
    const empty = pageOf([], 3);
    expect(empty).toMatchObject({ page: 0, pageCount: 1, first: 0, last: 0, total: 0, rows: [] });
  });
});

describe('PodsTable', () => {
  it('renders 100 of 30,000 pods with a count and page buttons', () => {
    const html = renderToStaticMarkup(
      createElement(PodsTable, { pods: pods(30_000), showCluster: false, nowMs: Date.parse('2026-12-03T00:00:00Z') }),
    );
    expect(html.match(/data-testid="pod-row"/g)).toHaveLength(100);
    expect(html).toContain('worker-00099');
    expect(html).not.toContain('worker-00100');
    expect(html).toContain('Showing 1–100 of 30,000 pods');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Previous<\/button>/);
    expect(html).toMatch(/<button(?![^>]*disabled)[^>]*>Next<\/button>/);
  });

  it('shows a short list whole, without a pager', () => {
    const html = renderToStaticMarkup(createElement(PodsTable, { pods: pods(12), showCluster: false, nowMs: 0 }));
    expect(html.match(/data-testid="pod-row"/g)).toHaveLength(12);
    expect(html).not.toContain('table-pager');
  });
});
