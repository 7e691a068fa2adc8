import type { LiveWorkflow } from '@/server/kubernetes/types';

export interface RunsInRange {
  /** Runs that overlap the range, newest first. */
  runs: LiveWorkflow[];
  /** Start of the oldest run the cluster still holds (epoch ms), or null when it holds none. */
  oldestHeldMs: number | null;
}

function startOf(run: LiveWorkflow): number | null {
  const text = run.startedAt ?? run.createdAt;
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The runs that were live at some time in [fromMs, toMs]: started by its end and not finished before
 * its start (a run still going lasts until now). A run without any time yet exists now.
 */
export function runsInRange(all: readonly LiveWorkflow[], fromMs: number, toMs: number, nowMs: number): RunsInRange {
  let oldestHeldMs: number | null = null;
  const kept: { run: LiveWorkflow; startMs: number }[] = [];
  for (const run of all) {
    const startMs = startOf(run) ?? nowMs;
    if (oldestHeldMs === null || startMs < oldestHeldMs) oldestHeldMs = startMs;
    const finished = run.finishedAt ? Date.parse(run.finishedAt) : Number.NaN;
    const endMs = Number.isNaN(finished) ? nowMs : finished;
    if (startMs <= toMs && endMs >= fromMs) kept.push({ run, startMs });
  }
  kept.sort((a, b) => b.startMs - a.startMs);
  return { runs: kept.map((k) => k.run), oldestHeldMs };
}

/** One page of a list: `page` counts from 0 and is clamped to the last page. */
export function pageOf<T>(
  items: readonly T[],
  page: number,
  pageSize: number,
): { items: T[]; page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const clamped = Math.min(Math.max(0, page), pageCount - 1);
  return { items: items.slice(clamped * pageSize, (clamped + 1) * pageSize), page: clamped, pageCount };
}
