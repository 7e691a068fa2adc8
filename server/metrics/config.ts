import 'server-only';
import { configuredClusters } from '@/server/clusters/config';
import { appConfig } from '@/server/config';
import { DomainError } from '@/server/errors';
import { resolveTimeRange, TimeRangeError, type ResolvedTimeRange, type TimeRangeInput } from '@/lib/time-range';
import { prometheusGuard } from '@/server/prometheus/guard';
import { eq, type LabelMatcher } from '@/server/prometheus/query-builder';

export const ALL_CLUSTERS = 'all';

/** Settings from server/config; one Prometheus for every cluster until issue 21 fans out per cluster. */
export interface MetricsSettings {
  prometheusUrl: string | null;
  scrapeIntervalSeconds: number;
  clusterLabel: string;
  /** A panel waits this long for Prometheus before it shows its last good data as stale. */
  panelTimeoutMs: number;
}

/**
 * While Prometheus is down its breaker lets one probe through per cooldown; 3 s (not the default
 * 10 s) so that panels recover within seconds of it coming back. Created before any client uses it.
 */
const breakerCooldownMs = 3_000;

export function metricsSettings(): MetricsSettings {
  const config = appConfig();
  const prometheusUrl = config.prometheusUrl ?? null;
  if (prometheusUrl) prometheusGuard(prometheusUrl, { halfOpenAfterMs: breakerCooldownMs });
  return {
    prometheusUrl,
    scrapeIntervalSeconds: config.prometheusScrapeIntervalSeconds,
    clusterLabel: config.prometheusClusterLabel,
    panelTimeoutMs: config.prometheusPanelTimeoutMs,
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
