// A workload's panels (requests, latency, errors, GPUs, queue) for its page: one plan per panel,
// built from the sources in workload-sources.ts and run with last-good fallback.
import 'server-only';
import type { TimeRangeInput } from '@/lib/time-range';
import { DomainError } from '@/server/errors';
import { httpMetrics } from '@/server/prometheus/discovery';
import { selector, sum } from '@/server/prometheus/query-builder';
import { pickGpuUtilSource } from '@/server/prometheus/source-pickers';
import { ALL_CLUSTERS } from './config';
import { deviceUtil, fleetCount, fleetSum } from './gpu-queries';
import type { LastGood } from './last-good';
import type { PanelBuild, PanelContext, PlannedQuery } from './panel-plan';
import {
  defaultPanelDeps,
  lastGoodAnswers,
  panelContext,
  resolveRequest,
  withLastGood,
  type PanelDeps,
} from './run-panel';
import { runPlan } from './run-plan';
import type { RangePanelResponse } from './types';
import {
  emptyFor,
  errorRate,
  errorSources,
  firstOf,
  latencySources,
  noSource,
  podMatchers,
  rateOf,
  requestSources,
  workloadQuantile,
  type WorkloadTarget,
} from './workload-sources';

export const workloadPanelIds = ['requests', 'latency', 'errors', 'gpu', 'queue'] as const;
export type WorkloadPanelId = (typeof workloadPanelIds)[number];

export interface WorkloadMetricsRequest extends WorkloadTarget {
  cluster: string;
  range: TimeRangeInput;
  pointsWanted: number;
}

export type WorkloadMetricsResponse = Record<WorkloadPanelId, RangePanelResponse>;

function requests(ctx: PanelContext, target: WorkloadTarget): PanelBuild {
  const sources = requestSources(ctx);
  if (sources.length === 0)
    return noSource(
      ['vllm:request_success_total', httpMetrics.otelDurationCount, httpMetrics.legacyRequests],
      'No request counter found',
    );
  const metrics = sources.map((s) => s.metric);
  return {
    kind: 'plan',
    unit: 'requests-per-second',
    source: { metrics, description: "Requests per second summed over the workload's pods (first source with data)" },
    queries: [{ id: 'rps', label: 'Requests/s', build: (w) => rateOf(sources, ctx, target, w.rateWindowSeconds) }],
    emptyMeansMissing: emptyFor('request metrics', metrics),
  };
}

function errors(ctx: PanelContext, target: WorkloadTarget): PanelBuild {
  const sources = errorSources(ctx);
  if (sources.length === 0)
    return noSource(['vllm:request_success_total', httpMetrics.otelDurationCount], 'No request counter found');
  const metrics = sources.map((s) => s.metric);
  return {
    kind: 'plan',
    unit: 'requests-per-second',
    source: { metrics, description: 'Failed requests per second: vLLM finished_reason="abort", HTTP status 5xx' },
    queries: [{ id: 'errors', label: 'Errors/s', build: (w) => errorRate(sources, ctx, target, w.rateWindowSeconds) }],
    emptyMeansMissing: emptyFor('error metrics', metrics),
  };
}

function latency(ctx: PanelContext, target: WorkloadTarget): PanelBuild {
  const sources = latencySources(ctx);
  if (sources.length === 0)
    return noSource(
      ['vllm:e2e_request_latency_seconds_bucket', httpMetrics.otelDurationBucket],
      'No latency histogram found',
    );
  const metrics = sources.map((s) => s.metric);
  const quantile = (q: number): PlannedQuery => ({
    id: `p${Math.round(q * 100)}`,
    label: `p${Math.round(q * 100)}`,
    build: (w) =>
      firstOf(
        sources.map((s) =>
          workloadQuantile(q, { metric: s.metric, matchers: podMatchers(s.family, ctx, target) }, w.rateWindowSeconds),
        ),
      ),
  });
  return {
    kind: 'plan',
    unit: 'seconds',
    source: { metrics, description: "Request latency quantiles from the histogram buckets of the workload's pods" },
    queries: [quantile(0.5), quantile(0.95), quantile(0.99)],
    emptyMeansMissing: emptyFor('latency histogram', metrics),
  };
}

function gpu(ctx: PanelContext, target: WorkloadTarget): PanelBuild {
  const util = pickGpuUtilSource(ctx.discovery);
  if (util.kind === 'missing') return util;
  const family = ctx.discovery.dcgm;
  const own = podMatchers(family, ctx, target).slice(ctx.scope.matchers.length);
  return {
    kind: 'plan',
    unit: 'gpus',
    source: {
      metrics: [util.metric],
      description: `GPUs mapped to the workload's pods and their summed activity (${util.description}); a shared GPU counts whole`,
    },
    queries: [
      { id: 'held', label: 'GPUs held', build: () => fleetCount(deviceUtil(util, ctx.scope, own)) },
      { id: 'busy', label: 'Busy (GPU-equivalents)', build: () => fleetSum(deviceUtil(util, ctx.scope, own)) },
    ],
    emptyMeansMissing: {
      needed: [`${util.metric}{pod=…}`],
      description: 'No GPU mapped to the pods of this workload in this range',
      howTo: 'Only pods that request GPUs appear here (dcgm-exporter with its Kubernetes pod mapping).',
    },
  };
}

function queue(ctx: PanelContext, target: WorkloadTarget): PanelBuild {
  const { vllm } = ctx.discovery;
  const waiting = 'vllm:num_requests_waiting';
  const running = 'vllm:num_requests_running';
  const howTo = 'Queue length comes from vLLM (vllm:num_requests_waiting); other servers do not publish one.';
  if (!vllm.metrics.includes(waiting))
    return { kind: 'missing', needed: [waiting], description: 'No LLM server metrics found', howTo };
  const queries: PlannedQuery[] = [
    { id: 'waiting', label: 'Waiting', build: () => sum(selector(waiting, podMatchers(vllm, ctx, target))) },
  ];
  if (vllm.metrics.includes(running))
    queries.push({
      id: 'running',
      label: 'Running',
      build: () => sum(selector(running, podMatchers(vllm, ctx, target))),
    });
  return {
    kind: 'plan',
    unit: 'count',
    source: {
      metrics: queries.map((q) => (q.id === 'waiting' ? waiting : running)),
      description: "Requests queued and running in vLLM, summed over the workload's pods",
    },
    queries,
    emptyMeansMissing: {
      needed: [waiting],
      description: 'Not an LLM server: no vLLM queue metrics for the pods of this workload',
      howTo,
    },
  };
}

const builders: Record<WorkloadPanelId, (ctx: PanelContext, target: WorkloadTarget) => PanelBuild> = {
  requests,
  latency,
  errors,
  gpu,
  queue,
};

export async function workloadMetrics(
  input: WorkloadMetricsRequest,
  browserSignal?: AbortSignal,
  deps: PanelDeps = defaultPanelDeps(),
  lastGood: LastGood<unknown> = lastGoodAnswers(),
): Promise<WorkloadMetricsResponse> {
  if (input.cluster === ALL_CLUSTERS)
    throw new DomainError('BAD_INPUT', 'A workload lives in one cluster: pick it.', 'cluster');
  const request = resolveRequest(input.cluster, input.range, deps);
  const target: WorkloadTarget = { namespace: input.namespace, kind: input.kind, name: input.name };
  const answers = await Promise.all(
    workloadPanelIds.map((id) => {
      const panel = `workload.${id}`;
      const key = JSON.stringify([
        panel,
        input.cluster,
        input.namespace,
        input.kind,
        input.name,
        input.range.from,
        input.range.to,
        input.pointsWanted,
      ]);
      return withLastGood(key, panel, request, browserSignal, deps, lastGood, async (resolved, signal) => {
        const context = await panelContext(resolved, deps, signal);
        return runPlan(resolved, panel, builders[id](context, target), input.pointsWanted, deps, signal, {
          nameOf: (query) => query.label,
          defaultMaxSeries: 5,
        });
      });
    }),
  );
  return Object.fromEntries(workloadPanelIds.map((id, i) => [id, answers[i]!])) as WorkloadMetricsResponse;
}
