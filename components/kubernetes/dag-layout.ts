import type { LiveWorkflowStep } from '@/server/kubernetes/types';

/**
 * Columns of a run's DAG: a step sits one column right of its deepest parent, so edges always
 * point right. Steps within a column keep their start order.
 */
export function dagColumns(steps: LiveWorkflowStep[]): LiveWorkflowStep[][] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const parents = new Map<string, string[]>();
  for (const s of steps)
    for (const child of s.children) if (byId.has(child)) parents.set(child, [...(parents.get(child) ?? []), s.id]);
  const depth = new Map<string, number>();
  const depthOf = (id: string, visiting: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const d = Math.max(-1, ...(parents.get(id) ?? []).map((p) => depthOf(p, visiting))) + 1;
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const columns: LiveWorkflowStep[][] = [];
  for (const s of steps) {
    const d = depthOf(s.id, new Set());
    (columns[d] ??= []).push(s);
  }
  return columns.filter((c) => c.length > 0);
}
