import 'server-only';
import type { TimeRangeInput } from '@/lib/time-range';
import { dcgmMetrics } from '@/server/prometheus/discovery';
import type { InstantPanelResult, RangePanelResult } from '@/server/prometheus/panel-query';
import type { PromQl } from '@/server/prometheus/query-builder';
import { pickGpuUtilSource, type AvailableSource } from '@/server/prometheus/source-pickers';
import { busyGpusByWorkload, devicePods, gpusHeldByWorkload, perDeviceWithIdentity } from './gpu-queries';
import { prometheusGraphUrl } from './graph-url';
import type { PanelContext } from './panel-plan';
import {
  defaultPanelDeps,
  lastGoodAnswers,
  panelContext,
  resolveRequest,
  withLastGood,
  type PanelDeps,
  type ResolvedRequest,
} from './run-panel';
import type { GpuDeviceRow, GpuWorkloadRow, PanelQueryInfo, TablePanelResponse } from './types';
import { stepsIn, workloadUsage, type StepSeries } from './workload-usage';
import type { LastGood } from './last-good';

export interface TableRequest {
  cluster: string;
  range: TimeRangeInput;
}

/** Same width as the heatmap, so the device table's range mean reuses the heatmap's cached query. */
export const heatmapPoints = 120;
const workloadPoints = 300;
const maxRows = 200;

function instantInfo(request: ResolvedRequest, id: string, label: string, result: InstantPanelResult): PanelQueryInfo {
  return {
    id,
    label,
    promql: result.query,
    graphUrl: prometheusGraphUrl(
      request.prometheusUrl,
      result.query,
      request.startMs,
      request.endMs,
      request.settings.scrapeIntervalSeconds,
    ),
  };
}

function rangeInfo(request: ResolvedRequest, id: string, label: string, result: RangePanelResult): PanelQueryInfo {
  return {
    id,
    label,
    promql: result.query,
    graphUrl: prometheusGraphUrl(request.prometheusUrl, result.query, result.startMs, result.endMs, result.stepSeconds),
  };
}

function missingUtil(
  panel: string,
  util: Exclude<ReturnType<typeof pickGpuUtilSource>, AvailableSource>,
): TablePanelResponse<never> {
  return { status: 'missing', panel, needed: util.needed, description: util.description, howTo: util.howTo };
}

async function deviceRows(
  request: ResolvedRequest,
  ctx: PanelContext,
  deps: PanelDeps,
  signal: AbortSignal,
): Promise<TablePanelResponse<GpuDeviceRow>> {
  const panel = 'gpu.devices';
  const util = pickGpuUtilSource(ctx.discovery);
  if (util.kind === 'missing') return missingUtil(panel, util);
  const present = new Set(ctx.discovery.dcgm.metrics);
  const instant = (query: PromQl): Promise<InstantPanelResult> =>
    deps.runner.runInstantPanel({
      prometheusUrl: request.prometheusUrl,
      query,
      timeMs: request.endMs,
      scrapeIntervalSeconds: request.settings.scrapeIntervalSeconds,
      maxSeries: maxRows * 4,
      signal,
    });
  const gauge = (metric: string): Promise<InstantPanelResult | null> =>
    present.has(metric) ? instant(perDeviceWithIdentity(metric, util, ctx.scope)) : Promise.resolve(null);
  const [now, used, free, temperature, power, pods, history] = await Promise.all([
    instant(perDeviceWithIdentity(util.metric, util, ctx.scope, true)),
    gauge(dcgmMetrics.fbUsed),
    gauge(dcgmMetrics.fbFree),
    gauge(dcgmMetrics.temperature),
    gauge(dcgmMetrics.power),
    util.labels.pod ? instant(devicePods(util, ctx.scope)) : Promise.resolve(null),
    deps.runner.runRangePanel({
      prometheusUrl: request.prometheusUrl,
      query: perDeviceWithIdentity(util.metric, util, ctx.scope, true),
      startMs: request.startMs,
      endMs: request.endMs,
      pointsWanted: heatmapPoints,
      scrapeIntervalSeconds: request.settings.scrapeIntervalSeconds,
      maxSeries: maxRows,
      signal,
    }),
  ]);
  const cluster = ctx.scope.clusterLabel;
  const host = util.labels.hostname ?? 'Hostname';
  const byUuid = (result: InstantPanelResult | null): Map<string, number> =>
    new Map((result?.series ?? []).map((s) => [`${s.labels[cluster] ?? ''}/${s.labels.UUID ?? ''}`, s.value]));
  const [usedBy, freeBy, tempBy, powerBy] = [byUuid(used), byUuid(free), byUuid(temperature), byUuid(power)];
  const meanBy = new Map(
    history.series.map((s) => {
      const values = s.points.map((p) => p[1]).filter(Number.isFinite);
      return [
        `${s.labels[cluster] ?? ''}/${s.labels.UUID ?? ''}`,
        values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null,
      ];
    }),
  );
  const podsBy = new Map<string, string[]>();
  for (const s of pods?.series ?? []) {
    const id = `${s.labels[cluster] ?? ''}/${s.labels.UUID ?? ''}`;
    const name = `${s.labels[util.labels.namespace ?? 'namespace'] ?? ''}/${s.labels[util.labels.pod ?? 'pod'] ?? ''}`;
    podsBy.set(id, [...(podsBy.get(id) ?? []), name].sort());
  }
  const rows = now.series.map((s): GpuDeviceRow => {
    const id = `${s.labels[cluster] ?? ''}/${s.labels.UUID ?? ''}`;
    const usedMiB = usedBy.get(id) ?? null;
    const freeMiB = freeBy.get(id);
    return {
      cluster: s.labels[cluster] ?? '',
      node: s.labels[host] ?? '',
      gpu: s.labels.gpu ?? '',
      uuid: s.labels.UUID ?? '',
      model: s.labels.modelName ?? '',
      utilRatio: Number.isFinite(s.value) ? s.value : null,
      avgUtilRatio: meanBy.get(id) ?? null,
      memoryUsedMiB: usedMiB,
      memoryTotalMiB: usedMiB !== null && freeMiB !== undefined ? usedMiB + freeMiB : null,
      temperatureCelsius: tempBy.get(id) ?? null,
      powerWatts: powerBy.get(id) ?? null,
      pods: podsBy.get(id) ?? [],
    };
  });
  rows.sort(
    (a, b) => a.cluster.localeCompare(b.cluster) || a.node.localeCompare(b.node) || Number(a.gpu) - Number(b.gpu),
  );
  const labelled: [string, InstantPanelResult | null][] = [
    ['Activity now', now],
    ['Memory used', used],
    ['Memory free', free],
    ['Temperature', temperature],
    ['Power', power],
    ['Pods per GPU', pods],
  ];
  const results = labelled.filter((entry): entry is [string, InstantPanelResult] => entry[1] !== null);
  return {
    status: 'ok',
    panel,
    rows,
    omittedRowCount: now.omittedSeriesCount,
    source: {
      metrics: [...new Set([util.metric, ...ctx.discovery.dcgm.metrics.filter((m) => m !== dcgmMetrics.totalEnergy)])],
      description: `Per device at the end of the range; "mean" over the range. ${util.description}`,
    },
    queries: [
      ...results.map(([label, r], i) => instantInfo(request, `q${i}`, label, r)),
      rangeInfo(request, 'history', 'Activity over the range', history),
    ],
    startMs: request.startMs,
    endMs: request.endMs,
    stale: null,
  };
}

async function workloadRows(
  request: ResolvedRequest,
  ctx: PanelContext,
  deps: PanelDeps,
  signal: AbortSignal,
): Promise<TablePanelResponse<GpuWorkloadRow>> {
  const panel = 'gpu.workloads';
  const util = pickGpuUtilSource(ctx.discovery);
  if (util.kind === 'missing') return missingUtil(panel, util);
  if (!util.labels.pod) {
    return {
      status: 'missing',
      panel,
      needed: [`${util.metric}{pod=…}`],
      description: 'dcgm-exporter publishes no pod labels',
      howTo: 'Run dcgm-exporter with its Kubernetes pod mapping (DCGM_EXPORTER_KUBERNETES=true).',
    };
  }
  const range = (query: PromQl): Promise<RangePanelResult> =>
    deps.runner.runRangePanel({
      prometheusUrl: request.prometheusUrl,
      query,
      startMs: request.startMs,
      endMs: request.endMs,
      pointsWanted: workloadPoints,
      scrapeIntervalSeconds: request.settings.scrapeIntervalSeconds,
      maxSeries: maxRows,
      rankBy: 'mean',
      signal,
    });
  const [held, busy] = await Promise.all([
    range(gpusHeldByWorkload(util, ctx.scope)),
    range(busyGpusByWorkload(util, ctx.scope)),
  ]);
  const namespace = util.labels.namespace ?? 'namespace';
  const groupBy = [ctx.scope.clusterLabel, namespace, 'workload'];
  const asSteps = (r: RangePanelResult): StepSeries[] => r.series.map((s) => ({ labels: s.labels, points: s.points }));
  const usage = workloadUsage(
    asSteps(held),
    asSteps(busy),
    groupBy,
    held.stepSeconds,
    stepsIn(held.startMs, held.endMs, held.stepSeconds),
  );
  const rows = usage
    .map((u): GpuWorkloadRow => ({
      cluster: u.labels[ctx.scope.clusterLabel] ?? '',
      namespace: u.labels[namespace] ?? '',
      workload: u.labels.workload ?? '',
      avgGpusHeld: u.avgGpusHeld,
      avgUtilRatio: u.avgUtilRatio,
      gpuHours: u.gpuHours,
      idleGpuHours: u.idleGpuHours,
      shared: u.shared,
    }))
    .sort((a, b) => b.idleGpuHours - a.idleGpuHours);
  return {
    status: 'ok',
    panel,
    rows,
    omittedRowCount: held.omittedSeriesCount,
    source: {
      metrics: [util.metric],
      description: `Held = devices mapped to the workload's pods (a shared GPU counts 1 ÷ its pods); busy from ${util.metric}`,
    },
    queries: [
      rangeInfo(request, 'held', 'GPUs held per workload', held),
      rangeInfo(request, 'busy', 'Busy GPU-equivalents per workload', busy),
    ],
    startMs: held.startMs,
    endMs: held.endMs,
    stale: null,
  };
}

type TableBuilder<Row> = (
  request: ResolvedRequest,
  ctx: PanelContext,
  deps: PanelDeps,
  signal: AbortSignal,
) => Promise<TablePanelResponse<Row>>;

function tablePanel<Row>(panel: string, build: TableBuilder<Row>) {
  return async (
    input: TableRequest,
    browserSignal?: AbortSignal,
    deps: PanelDeps = defaultPanelDeps(),
    lastGood: LastGood<unknown> = lastGoodAnswers(),
  ): Promise<TablePanelResponse<Row>> => {
    const request = resolveRequest(input.cluster, input.range, deps);
    const key = JSON.stringify([panel, input.cluster, input.range.from, input.range.to]);
    return withLastGood(key, panel, request, browserSignal, deps, lastGood, async (resolved, signal) =>
      build(resolved, await panelContext(resolved, deps, signal), deps, signal),
    );
  };
}

/** Per GPU: model, UUID, activity now and over the range, memory, temperature, power, pods. */
export const gpuDevices = tablePanel<GpuDeviceRow>('gpu.devices', deviceRows);

/** Per workload: GPUs held, activity, GPU-hours and idle GPU-hours, ranked by waste. */
export const gpuWorkloads = tablePanel<GpuWorkloadRow>('gpu.workloads', workloadRows);
