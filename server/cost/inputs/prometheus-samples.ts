import 'server-only';
import type { Labels, MatrixSeries } from '@/server/prometheus/api-schemas';

// Hour-indexed views of query_range answers (step 1 h, each point at the end of its hour).

export const hourMs = 3_600_000;

/** Label variants an exporter may use for the same dimension, best first (`exported_*` when relabelled). */
export const podLabelVariants = {
  namespace: ['exported_namespace', 'namespace'],
  pod: ['exported_pod', 'pod'],
  hostname: ['Hostname', 'hostname'],
} as const;

export interface HourSample {
  labels: Labels;
  value: number;
}

/** The answer's samples grouped by hour index (0 = the first hour asked), NaN and ±Inf dropped. */
export function samplesByHour(series: MatrixSeries[], firstHourStartMs: number, hourCount: number): HourSample[][] {
  const byHour: HourSample[][] = Array.from({ length: hourCount }, () => []);
  for (const s of series) {
    for (const [timeSeconds, value] of s.values) {
      const index = Math.round((timeSeconds * 1000 - hourMs - firstHourStartMs) / hourMs);
      if (index < 0 || index >= hourCount || !Number.isFinite(value)) continue;
      byHour[index]!.push({ labels: s.metric, value });
    }
  }
  return byHour;
}

/** The first non-empty value among label variants (`exported_pod` before `pod`). */
export function firstLabel(labels: Labels, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = labels[name];
    if (value) return value;
  }
  return undefined;
}

export function podKey(namespace: string, pod: string): string {
  return `${namespace}\u0000${pod}`;
}

/** One hour's samples keyed by the labels `key` picks; samples without the key are skipped. */
export function keyed<T>(
  samples: readonly HourSample[],
  key: (labels: Labels) => string | undefined,
  value: (sample: HourSample, previous: T | undefined) => T,
): Map<string, T> {
  const map = new Map<string, T>();
  for (const sample of samples) {
    const k = key(sample.labels);
    if (k !== undefined) map.set(k, value(sample, map.get(k)));
  }
  return map;
}

export const byPod = (labels: Labels): string | undefined =>
  labels.namespace && labels.pod ? podKey(labels.namespace, labels.pod) : undefined;

export const byNode = (labels: Labels): string | undefined => labels.node || undefined;
