import 'server-only';
import type { TimeRangeInput } from '@/lib/time-range';
import { targetOf, type WorkloadRef } from '@/server/actions/types';
import { getDatabase } from '@/server/db/client';
import { listAuditEntries, type AuditEntry } from '@/server/db/audit';
import { checkedRange } from '@/server/metrics/config';
import type { ChartAnnotation } from './annotation-types';

/** More actions than this on one workload in one range would hide the lines they annotate. */
export const maxAnnotations = 200;

/** Bookkeeping the actions layer stores with the parameters; not what a reader of the chart asks. */
const hiddenParameters = new Set(['verb', 'idempotencyKey']);

function describeParameters(parameters: unknown): string {
  if (parameters === null || typeof parameters !== 'object') return '';
  return Object.entries(parameters as Record<string, unknown>)
    .filter(([key]) => !hiddenParameters.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

/** One marker per audited action: who did what, with which parameters, and how it ended. */
export function annotationOf(entry: AuditEntry): ChartAnnotation {
  const parameters = describeParameters(entry.parameters);
  return {
    id: entry.id,
    atMs: entry.at.getTime(),
    actor: entry.actor,
    role: entry.role,
    verb: entry.verb,
    parameters,
    result: entry.result,
    statusCode: entry.statusCode,
    label: parameters ? `${entry.verb} ${parameters}` : entry.verb,
  };
}

/** Audited actions inside [fromMs, toMs], oldest first. */
export function annotationsIn(entries: readonly AuditEntry[], fromMs: number, toMs: number): ChartAnnotation[] {
  return entries
    .filter((e) => e.at.getTime() >= fromMs && e.at.getTime() <= toMs)
    .map(annotationOf)
    .sort((a, b) => a.atMs - b.atMs || a.id - b.id);
}

/** The actions taken through Burnrate on one workload within a time range. */
export async function workloadAnnotations(
  input: { workload: WorkloadRef; range: TimeRangeInput },
  nowMs: number = Date.now(),
): Promise<ChartAnnotation[]> {
  const { fromMs, toMs } = checkedRange(input.range, nowMs);
  const { db } = await getDatabase();
  const entries = await listAuditEntries(db, {
    limit: maxAnnotations,
    filter: {
      cluster: input.workload.cluster,
      namespace: input.workload.namespace,
      target: targetOf(input.workload),
      since: new Date(fromMs),
    },
  });
  return annotationsIn(entries, fromMs, toMs);
}
