import 'server-only';
import { configuredClusters } from '@/server/clusters/config';
import { DomainError } from '@/server/errors';
import { resolveTimeRange, TimeRangeError, type ResolvedTimeRange, type TimeRangeInput } from '@/lib/time-range';
import { breakerFor } from '@/server/prometheus/breaker';
import { eq, type LabelMatcher } from '@/server/prometheus/query-builder';

export const ALL_CLUSTERS = 'all';

/** Settings read from the environment; per-cluster URLs come with the config file (DESIGN, runtime contract). */
export interface MetricsSettings {
  prometheusUrl: string | null;
  scrapeIntervalSeconds: number;
  clusterLabel: string;
  /** A panel waits this long for Prometheus before it shows its last good data as stale. */
  panelTimeoutMs: number;
}

function positiveNumber(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * While Prometheus is down its breaker lets one probe through per cooldown; 3 s (not the default
 * 10 s) so that panels recover within seconds of it coming back. Created before any client uses it.
 */
const breakerCooldownMs = 3_000;

export function metricsSettings(): MetricsSettings {
  const prometheusUrl = process.env.PROMETHEUS_URL?.trim().replace(/\/+$/, '') || null;
  if (prometheusUrl) breakerFor(prometheusUrl, { cooldownMs: breakerCooldownMs });
  return {
    prometheusUrl,
    scrapeIntervalSeconds: positiveNumber(process.env.PROMETHEUS_SCRAPE_INTERVAL_SECONDS, 15),
    clusterLabel: process.env.PROMETHEUS_CLUSTER_LABEL?.trim() || 'cluster',
    panelTimeoutMs: positiveNumber(process.env.PROMETHEUS_PANEL_TIMEOUT_MS, 8_000),
  };
}

/** The cluster a request asked for, checked against the configured clusters. */
export function checkedCluster(cluster: string): string {
  if (cluster === ALL_CLUSTERS) return cluster;
  const known = configuredClusters().map((c) => c.name);
  if (!known.includes(cluster)) {
    const choices = known.length > 0 ? known.join(', ') : 'none are configured (set KUBECONFIG)';
    throw new DomainError('BAD_INPUT', `Unknown cluster "${cluster}". Known clusters: ${choices}.`, 'cluster');
  }
  return cluster;
}

export function clusterMatchers(cluster: string, settings: MetricsSettings): LabelMatcher[] {
  return cluster === ALL_CLUSTERS ? [] : [eq(settings.clusterLabel, cluster)];
}

/** Resolves `now-6h`…`now` or absolute times; bad ranges become BAD_INPUT naming the field (`range.to`). */
export function checkedRange(range: TimeRangeInput, nowMs: number): ResolvedTimeRange {
  try {
    return resolveTimeRange(range, nowMs);
  } catch (error) {
    if (error instanceof TimeRangeError) throw new DomainError('BAD_INPUT', error.message, `range.${error.field}`);
    throw error;
  }
}
