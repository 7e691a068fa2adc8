import 'server-only';
import { dcgmMetrics } from '@/server/prometheus/discovery';
import {
  avg,
  binary,
  count,
  eq,
  histogramQuantile,
  max,
  num,
  oneOf,
  rate,
  selector,
  sum,
  type PromQl,
} from '@/server/prometheus/query-builder';
import {
  pickGpuUtilSource,
  pickLatencySource,
  pickNodePriceSource,
  pickWorkloadEnergySource,
} from '@/server/prometheus/source-pickers';
import { deviceLabels, deviceUtil } from './gpu-queries';
import type { PanelBuild, PanelContext, PanelDefinition, PlannedQuery } from './panel-plan';
import type { QueryWindow } from '@/server/prometheus/panel-query';

/** The fleet figure, plus one series per cluster when the view spans all clusters. */
function totalAndByCluster(
  ctx: PanelContext,
  label: string,
  build: (by: string[], window: QueryWindow) => PromQl,
): PlannedQuery[] {
  const cluster = ctx.scope.clusterLabel;
  return [
    { id: 'total', label, build: (w) => build([], w), name: () => label },
    ...(ctx.allClusters
      ? [
          {
            id: 'byCluster',
            label: `${label} per cluster`,
            maxSeries: 20,
            build: (w: QueryWindow) => build([cluster], w),
            name: (l: Record<string, string>) => l[cluster] ?? '?',
          },
        ]
      : []),
  ];
}

function grouped(op: typeof sum, expr: PromQl, by: string[]): PromQl {
  return op(expr, by.length > 0 ? { by } : undefined);
}

function utilLabel(metric: string): string {
  if (metric === dcgmMetrics.grEngineActive) return 'DCGM engine active';
  if (metric === dcgmMetrics.smActive) return 'DCGM SM active';
  return 'DCGM GPU_UTIL (coarse)';
}

function gpuUtil(ctx: PanelContext): PanelBuild {
  const util = pickGpuUtilSource(ctx.discovery);
  if (util.kind === 'missing') return util;
  return {
    kind: 'plan',
    unit: 'ratio',
    source: { metrics: [util.metric], description: util.description, label: utilLabel(util.metric) },
    queries: totalAndByCluster(ctx, 'GPU activity', (by) => grouped(avg, deviceUtil(util, ctx.scope), by)),
  };
}

/** Every request counter present, summed: vLLM servers and plain HTTP services serve different traffic. */
function requestCounters(ctx: PanelContext): string[] {
  const { vllm, http } = ctx.discovery;
  const counters: string[] = [];
  if (vllm.metrics.includes('vllm:request_success_total')) counters.push('vllm:request_success_total');
  if (http.otel) counters.push('http_server_request_duration_seconds_count');
  else if (http.legacy) counters.push('http_requests_total');
  return counters;
}

function requests(ctx: PanelContext): PanelBuild {
  const counters = requestCounters(ctx);
  if (counters.length === 0) {
    return {
      kind: 'missing',
      needed: ['vllm:request_success_total', 'http_server_request_duration_seconds_count', 'http_requests_total'],
      description: 'No request counter found',
      howTo:
        'Expose request metrics from the servers: vLLM does by default; otherwise OpenTelemetry HTTP server metrics or http_requests_total.',
    };
  }
  // One selector over every counter name: a cluster with only some of them still gets its sum.
  const perSecond = (by: string[], w: QueryWindow): PromQl =>
    grouped(sum, rate(selector(null, [oneOf('__name__', counters), ...ctx.scope.matchers]), w.rateWindowSeconds), by);
  return {
    kind: 'plan',
    unit: 'requests-per-second',
    source: {
      metrics: counters,
      description: `Requests per second: ${counters.join(' + ')}`,
      label: counters.map((c) => (c.startsWith('vllm:') ? 'vLLM' : 'HTTP')).join(' + '),
    },
    queries: totalAndByCluster(ctx, 'Requests/s', perSecond),
  };
}

function latency(ctx: PanelContext): PanelBuild {
  const source = pickLatencySource(ctx.discovery);
  if (source.kind === 'missing') return source;
  const scale = source.unit === 'milliseconds' ? 1000 : 1;
  const p95 = (by: string[], w: QueryWindow): PromQl => {
    const q = histogramQuantile(
      0.95,
      sum(rate(selector(source.metric, ctx.scope.matchers), w.rateWindowSeconds), { by: [...by, 'le'] }),
    );
    return scale === 1 ? q : binary(q, '/', num(scale));
  };
  return {
    kind: 'plan',
    unit: 'seconds',
    source: { metrics: [source.metric], description: `p95 of ${source.description}`, label: source.description },
    queries: totalAndByCluster(ctx, 'p95 latency', p95),
  };
}

function cost(ctx: PanelContext): PanelBuild {
  const source = pickNodePriceSource(ctx.discovery);
  if (source.kind === 'missing') return source;
  return {
    kind: 'plan',
    unit: 'usd-per-hour',
    source: {
      metrics: [source.metric],
      description: `${source.description}: Σ over nodes, before discounts; the billing export replaces it once imported`,
      label: 'OpenCost list price',
    },
    queries: totalAndByCluster(ctx, 'Cost per hour', (by) =>
      grouped(sum, selector(source.metric, ctx.scope.matchers), by),
    ),
  };
}

/** kWh per hour = average kW: GPUs from the DCGM energy counter (one per device), CPU and memory from Kepler. */
function energy(ctx: PanelContext): PanelBuild {
  const gpuCounter = ctx.discovery.dcgm.metrics.includes(dcgmMetrics.totalEnergy);
  const kepler = pickWorkloadEnergySource(ctx.discovery);
  const keplerMetrics = kepler.kind === 'available' ? (kepler.components ?? [kepler.metric]) : [];
  if (!gpuCounter && keplerMetrics.length === 0) {
    return {
      kind: 'missing',
      needed: [dcgmMetrics.totalEnergy, 'kepler_container_joules_total', 'kepler_container_package_joules_total'],
      description: 'No energy counters found',
      howTo: 'Deploy dcgm-exporter (GPU energy) and Kepler (CPU and memory energy) and let Prometheus scrape them.',
    };
  }
  const kwhPerHour = (by: string[], w: QueryWindow): PromQl => {
    const parts: PromQl[] = [];
    if (gpuCounter) {
      const perDevice = max(rate(selector(dcgmMetrics.totalEnergy, ctx.scope.matchers), w.rateWindowSeconds), {
        by: deviceLabels(ctx.scope),
      });
      parts.push(binary(grouped(sum, perDevice, by), '/', num(1000)));
    }
    // (gpu + kepler) or gpu or kepler: a cluster with only one of the two still gets a figure.
    const matching = by.length > 0 ? { on: by } : {};
    if (keplerMetrics.length > 0) {
      // One sum per component: rate() drops __name__, so one regex selector over the cpu, dram, …
      // counters would give series with equal labels, which Prometheus refuses.
      const perComponent = keplerMetrics.map((metric) =>
        grouped(sum, rate(selector(metric, ctx.scope.matchers), w.rateWindowSeconds), by),
      );
      parts.push(perComponent.reduce((total, part) => binary(total, '+', part, matching)));
    }
    const watts =
      parts.length === 1
        ? parts[0]!
        : binary(binary(binary(parts[0]!, '+', parts[1]!, matching), 'or', parts[0]!), 'or', parts[1]!);
    return binary(watts, '/', num(1000));
  };
  const metrics = [...(gpuCounter ? [dcgmMetrics.totalEnergy] : []), ...keplerMetrics];
  return {
    kind: 'plan',
    unit: 'kwh-per-hour',
    source: {
      metrics,
      description: `IT energy: ${metrics.join(' + ')} (mJ → J for DCGM); facility PUE not applied`,
      label: [gpuCounter ? 'DCGM' : null, keplerMetrics.length > 0 ? 'Kepler' : null].filter(Boolean).join(' + '),
    },
    queries: totalAndByCluster(ctx, 'Energy per hour', kwhPerHour),
  };
}

function alerts(ctx: PanelContext): PanelBuild {
  const firing = selector('ALERTS', [...ctx.scope.matchers, eq('alertstate', 'firing')]);
  return {
    kind: 'plan',
    unit: 'count',
    source: {
      metrics: ['ALERTS'],
      description: 'Firing alerts evaluated by Prometheus (ALERTS series)',
      label: 'Prometheus alert rules',
    },
    queries: totalAndByCluster(ctx, 'Firing alerts', (by) =>
      binary(
        grouped(count, firing, by),
        'or',
        binary(grouped(count, selector('up', ctx.scope.matchers), by), '*', num(0)),
      ),
    ),
  };
}

function pipelines(ctx: PanelContext): PanelBuild {
  const running = selector('argo_workflows_count', [...ctx.scope.matchers, eq('status', 'Running')]);
  return {
    kind: 'plan',
    unit: 'count',
    source: {
      metrics: ['argo_workflows_count'],
      description: 'Argo Workflows controller: workflows in phase Running',
      label: 'Argo Workflows',
    },
    queries: totalAndByCluster(ctx, 'Running pipelines', (by) => grouped(sum, running, by)),
    emptyMeansMissing: {
      needed: ['argo_workflows_count'],
      description: 'No Argo Workflows controller metrics found',
      howTo: 'Let Prometheus scrape the Argo Workflows controller (its metrics port, 9090 by default).',
    },
  };
}

export const overviewPanels: PanelDefinition[] = [
  { id: 'overview.gpuUtil', build: gpuUtil },
  { id: 'overview.requests', build: requests },
  { id: 'overview.latencyP95', build: latency },
  { id: 'overview.cost', build: cost },
  { id: 'overview.energy', build: energy },
  { id: 'overview.alerts', build: alerts },
  { id: 'overview.pipelines', build: pipelines },
];
