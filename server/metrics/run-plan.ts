import 'server-only';
import { roundSignificant } from '@/lib/significant';
import type { RangePanelResult } from '@/server/prometheus/panel-query';
import { prometheusGraphUrl } from './graph-url';
import type { PanelBuild, PlannedQuery } from './panel-plan';
import type { PanelDeps, ResolvedRequest } from './run-panel';
import type { PanelQueryInfo, RangePanelResponse, SeriesData } from './types';

// A panel's plan run against Prometheus: its queries in parallel, their series named and rounded.

const significantDigits = 7;

function roundValue(value: number): number | null {
  return Number.isFinite(value) ? roundSignificant(value, significantDigits) : null;
}

export function seriesName(query: PlannedQuery, labels: Record<string, string>, clusterLabel: string): string {
  if (query.name) return query.name(labels);
  const cluster = labels[clusterLabel];
  return cluster ? `${query.label} · ${cluster}` : query.label;
}

/** Prometheus leaves out steps without a value; one null after each hole keeps charts from bridging it. */
export function withGapMarkers(
  points: readonly (readonly [number, number])[],
  stepMs: number,
): { t: number[]; v: (number | null)[] } {
  const t: number[] = [];
  const v: (number | null)[] = [];
  points.forEach(([time, value], i) => {
    const previous = points[i - 1];
    if (previous && time - previous[0] > stepMs * 1.5) {
      t.push(previous[0] + stepMs);
      v.push(null);
    }
    t.push(time);
    v.push(roundValue(value));
  });
  return { t, v };
}

/** How a plan's series are named and capped: panels name them by labels, workload views by query. */
export interface PlanOptions {
  nameOf?: (query: PlannedQuery, labels: Record<string, string>) => string;
  defaultMaxSeries?: number;
}

function toSeries(
  query: PlannedQuery,
  result: RangePanelResult,
  nameOf: (query: PlannedQuery, labels: Record<string, string>) => string,
): SeriesData[] {
  return result.series.map((s) => {
    const labels = { ...s.labels };
    delete labels.__name__;
    return {
      key: `${query.id}:${JSON.stringify(labels)}`,
      queryId: query.id,
      name: nameOf(query, labels),
      labels,
      ...(result.downsampled
        ? { t: s.points.map((p) => p[0]), v: s.points.map((p) => roundValue(p[1])) }
        : withGapMarkers(s.points, result.stepSeconds * 1000)),
    };
  });
}

export async function runPlan(
  request: ResolvedRequest,
  panel: string,
  build: PanelBuild,
  pointsWanted: number,
  deps: PanelDeps,
  signal: AbortSignal,
  options: PlanOptions = {},
): Promise<RangePanelResponse> {
  if (build.kind === 'missing')
    return { status: 'missing', panel, needed: build.needed, description: build.description, howTo: build.howTo };
  const { settings, prometheusUrl } = request;
  const results = await Promise.all(
    build.queries.map((query) =>
      deps.runner.runRangePanel({
        prometheusUrl,
        query: query.build,
        startMs: request.startMs,
        endMs: request.endMs,
        pointsWanted,
        scrapeIntervalSeconds: settings.scrapeIntervalSeconds,
        maxSeries: query.maxSeries ?? options.defaultMaxSeries ?? 20,
        signal,
      }),
    ),
  );
  const first = results[0]!;
  const nameOf =
    options.nameOf ??
    ((query: PlannedQuery, labels: Record<string, string>) => seriesName(query, labels, settings.clusterLabel));
  const series = build.queries.flatMap((query, i) => toSeries(query, results[i]!, nameOf));
  if (build.emptyMeansMissing && series.length === 0) return { status: 'missing', panel, ...build.emptyMeansMissing };
  return {
    status: 'ok',
    panel,
    unit: build.unit,
    source: build.source,
    queries: build.queries.map((query, i) => queryInfo(prometheusUrl, query, results[i]!)),
    startMs: first.startMs,
    endMs: first.endMs,
    stepSeconds: first.stepSeconds,
    series,
    omittedSeriesCount: results.reduce((n, r) => n + r.omittedSeriesCount, 0),
    downsampled: results.some((r) => r.downsampled),
    stale: null,
  };
}

function queryInfo(prometheusUrl: string, query: PlannedQuery, result: RangePanelResult): PanelQueryInfo {
  return {
    id: query.id,
    label: query.label,
    promql: result.query,
    graphUrl: prometheusGraphUrl(prometheusUrl, result.query, result.startMs, result.endMs, result.stepSeconds),
  };
}
