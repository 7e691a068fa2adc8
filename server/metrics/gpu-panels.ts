import 'server-only';
import { dcgmMetrics } from '@/server/prometheus/discovery';
import { avg, binary, max, selector } from '@/server/prometheus/query-builder';
import { pickGpuMemorySource, pickGpuPowerSource, pickGpuUtilSource } from '@/server/prometheus/source-pickers';
import {
  allocatedDevices,
  busyGpusByWorkload,
  deviceLabels,
  deviceUtil,
  fleetCount,
  fleetSum,
  idleAllocatedDevices,
  perDevice,
  perDeviceWithIdentity,
} from './gpu-queries';
import type { PanelBuild, PanelContext, PanelDefinition } from './panel-plan';

/** Below this engine activity an allocated GPU counts as idle. */
export const idleThresholdRatio = 0.1;

function allocation(ctx: PanelContext): PanelBuild {
  const util = pickGpuUtilSource(ctx.discovery);
  if (util.kind === 'missing') return util;
  return {
    kind: 'plan',
    unit: 'gpus',
    source: {
      metrics: [util.metric],
      description: `Devices from ${util.metric}; allocated = a pod is mapped to the device; busy = Σ activity (${util.description})`,
    },
    queries: [
      { id: 'total', label: 'GPUs', build: () => fleetCount(deviceUtil(util, ctx.scope)) },
      { id: 'allocated', label: 'Allocated', build: () => fleetCount(allocatedDevices(util, ctx.scope)) },
      { id: 'busy', label: 'Busy (GPU-equivalents)', build: () => fleetSum(deviceUtil(util, ctx.scope)) },
    ],
  };
}

function utilisation(ctx: PanelContext): PanelBuild {
  const util = pickGpuUtilSource(ctx.discovery);
  if (util.kind === 'missing') return util;
  return {
    kind: 'plan',
    unit: 'ratio',
    source: { metrics: [util.metric], description: util.description },
    queries: [{ id: 'avg', label: 'Average activity', build: () => avg(deviceUtil(util, ctx.scope)) }],
  };
}

function memory(ctx: PanelContext): PanelBuild {
  const used = pickGpuMemorySource(ctx.discovery);
  if (used.kind === 'missing') return used;
  const withFree = ctx.discovery.dcgm.metrics.includes(dcgmMetrics.fbFree);
  return {
    kind: 'plan',
    unit: 'mebibytes',
    source: { metrics: withFree ? [used.metric, dcgmMetrics.fbFree] : [used.metric], description: used.description },
    queries: [
      { id: 'used', label: 'Used', build: () => fleetSum(perDevice(used.metric, ctx.scope)) },
      ...(withFree
        ? [
            {
              id: 'total',
              label: 'Capacity',
              // used + free per series first: a device's series with and without pod labels overlap for a lookback when a pod starts.
              build: () =>
                fleetSum(
                  max(
                    binary(
                      selector(used.metric, ctx.scope.matchers),
                      '+',
                      selector(dcgmMetrics.fbFree, ctx.scope.matchers),
                    ),
                    { by: deviceLabels(ctx.scope) },
                  ),
                ),
            },
          ]
        : []),
    ],
  };
}

function power(ctx: PanelContext): PanelBuild {
  const source = pickGpuPowerSource(ctx.discovery);
  if (source.kind === 'missing') return source;
  return {
    kind: 'plan',
    unit: 'watts',
    source: { metrics: [source.metric], description: source.description },
    queries: [{ id: 'power', label: 'Board power', build: () => fleetSum(perDevice(source.metric, ctx.scope)) }],
  };
}

function idleAllocated(ctx: PanelContext): PanelBuild {
  const util = pickGpuUtilSource(ctx.discovery);
  if (util.kind === 'missing') return util;
  if (!util.labels.pod) {
    return {
      kind: 'missing',
      needed: [`${util.metric}{pod=…}`],
      description: 'dcgm-exporter publishes no pod labels, so allocation per GPU is unknown',
      howTo:
        'Run dcgm-exporter with its Kubernetes pod mapping (DCGM_EXPORTER_KUBERNETES=true, the GPU Operator default).',
    };
  }
  return {
    kind: 'plan',
    unit: 'gpus',
    source: {
      metrics: [util.metric],
      description: `Allocated GPUs under ${Math.round(idleThresholdRatio * 100)} % activity (${util.description})`,
    },
    queries: [
      {
        id: 'idle',
        label: 'Idle while allocated',
        build: () => idleAllocatedDevices(util, ctx.scope, idleThresholdRatio),
      },
    ],
  };
}

function byWorkload(ctx: PanelContext): PanelBuild {
  const util = pickGpuUtilSource(ctx.discovery);
  if (util.kind === 'missing') return util;
  const namespace = util.labels.namespace ?? 'namespace';
  return {
    kind: 'plan',
    unit: 'gpus',
    source: {
      metrics: [util.metric],
      description: `Busy GPU-equivalents per workload; a shared (time-sliced) GPU's activity is split evenly between its pods`,
    },
    queries: [
      {
        id: 'busy',
        label: 'Busy GPU-equivalents',
        maxSeries: 10,
        build: () => busyGpusByWorkload(util, ctx.scope),
        name: (labels) => `${labels[namespace] ?? ''}/${labels.workload ?? ''}`,
      },
    ],
  };
}

function heatmap(ctx: PanelContext): PanelBuild {
  const util = pickGpuUtilSource(ctx.discovery);
  if (util.kind === 'missing') return util;
  const host = util.labels.hostname ?? 'Hostname';
  return {
    kind: 'plan',
    unit: 'ratio',
    source: { metrics: [util.metric], description: util.description },
    queries: [
      {
        id: 'device',
        label: 'Activity per GPU',
        maxSeries: 200,
        build: () => perDeviceWithIdentity(util.metric, util, ctx.scope, true),
        name: (labels) => `${(labels[host] ?? '?').split('.')[0]} · GPU ${labels.gpu ?? '?'}`,
      },
    ],
  };
}

export const gpuPanels: PanelDefinition[] = [
  { id: 'gpu.allocation', build: allocation },
  { id: 'gpu.utilisation', build: utilisation },
  { id: 'gpu.memory', build: memory },
  { id: 'gpu.power', build: power },
  { id: 'gpu.idleAllocated', build: idleAllocated },
  { id: 'gpu.byWorkload', build: byWorkload },
  { id: 'gpu.heatmap', build: heatmap },
];
