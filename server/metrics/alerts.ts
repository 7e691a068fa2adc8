import 'server-only';
import { prometheusClient } from '@/server/prometheus/client';
import { checkedCluster, metricsSettings, ALL_CLUSTERS, type MetricsSettings } from './config';
import { prometheusGraphUrl } from './graph-url';
import { describeError, isUpstreamFailure, lastGoodAnswers, panelSignal } from './run-panel';
import type { AlertsData, AlertsResponse, FiringAlert } from './types';

/** Alerts firing now (Prometheus /api/v1/alerts), for one cluster or all; stale when Prometheus fails. */
export async function firingAlerts(
  cluster: string,
  browserSignal?: AbortSignal,
  settings: MetricsSettings = metricsSettings(),
  nowMs: number = Date.now(),
): Promise<AlertsResponse> {
  const checked = checkedCluster(cluster);
  if (!settings.prometheusUrl) {
    return { status: 'unavailable', panel: 'alerts', error: 'PROMETHEUS_URL is not set', sinceMs: nowMs, queries: [] };
  }
  const graphUrl = prometheusGraphUrl(
    settings.prometheusUrl,
    'ALERTS{alertstate="firing"}',
    nowMs - 3_600_000,
    nowMs,
    settings.scrapeIntervalSeconds,
  );
  const lastGood = lastGoodAnswers();
  const key = JSON.stringify(['alerts', checked]);
  try {
    const all = await prometheusClient(settings.prometheusUrl).alerts({ signal: panelSignal(browserSignal, settings) });
    const alerts = all
      .filter((a) => a.state === 'firing')
      .filter((a) => checked === ALL_CLUSTERS || a.labels[settings.clusterLabel] === checked)
      .map((a): FiringAlert => ({
        name: a.labels.alertname ?? 'unnamed',
        cluster: a.labels[settings.clusterLabel] ?? null,
        severity: a.labels.severity ?? null,
        summary: a.annotations.summary ?? a.annotations.description ?? null,
        activeAtMs: a.activeAt ? Date.parse(a.activeAt) : null,
      }))
      .sort((a, b) => (b.activeAtMs ?? 0) - (a.activeAtMs ?? 0));
    const answer: AlertsData = { status: 'ok', alerts, stale: null, graphUrl };
    lastGood.remember(key, answer, nowMs);
    return answer;
  } catch (error) {
    if (browserSignal?.aborted || !isUpstreamFailure(error)) throw error;
    const previous = lastGood.recall(key, nowMs);
    const message = describeError(error);
    if (!previous) return { status: 'unavailable', panel: 'alerts', error: message, sinceMs: nowMs, queries: [] };
    return {
      ...(previous.value as AlertsData),
      stale: { sinceMs: previous.failingSinceMs, fetchedAtMs: previous.fetchedAtMs, error: message },
    };
  }
}
