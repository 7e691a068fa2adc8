import 'server-only';
import { configuredClusters } from '@/server/clusters/config';
import { discoverExporters, type ExporterDiscovery, type FamilyDiscovery } from '@/server/prometheus/discovery';
import {
  pickGpuEnergySource,
  pickGpuMemorySource,
  pickGpuPowerSource,
  pickGpuUtilSource,
  pickLatencySource,
  pickNodePriceSource,
  pickRequestSource,
  pickWorkloadEnergySource,
  type MetricSource,
} from '@/server/prometheus/source-pickers';
import { metricsSettings, ALL_CLUSTERS, type MetricsSettings } from './config';
import { describeError, panelSignal } from './run-panel';
import type { ClusterDataSources, DataSourceFamily, FigureSource } from './types';

const families: {
  id: keyof Omit<ExporterDiscovery, 'prometheusUrl' | 'cluster' | 'discoveredAtMs'>;
  label: string;
  howTo: string;
}[] = [
  { id: 'dcgm', label: 'NVIDIA dcgm-exporter (GPU)', howTo: 'Deploy dcgm-exporter (part of the GPU Operator).' },
  { id: 'kepler', label: 'Kepler (energy)', howTo: 'Deploy Kepler (sustainable-computing-io/kepler).' },
  {
    id: 'vllm',
    label: 'vLLM (inference)',
    howTo: 'vLLM serves /metrics by default; add a scrape job or ServiceMonitor.',
  },
  {
    id: 'http',
    label: 'HTTP servers (OpenTelemetry or http_requests_total)',
    howTo: 'Export OpenTelemetry HTTP server metrics to Prometheus.',
  },
  { id: 'knative', label: 'Knative Serving', howTo: 'Scrape the queue-proxy and autoscaler metrics.' },
  {
    id: 'kubeStateMetrics',
    label: 'kube-state-metrics',
    howTo: 'Deploy kube-state-metrics (kube-prometheus-stack includes it).',
  },
  { id: 'cadvisor', label: 'cAdvisor (kubelet)', howTo: 'Scrape the kubelet /metrics/cadvisor endpoint.' },
  { id: 'openCost', label: 'OpenCost (prices)', howTo: 'Run OpenCost, or import the billing export instead.' },
];

function family(discovery: ExporterDiscovery, entry: (typeof families)[number]): DataSourceFamily {
  const found = discovery[entry.id] as FamilyDiscovery & { variant?: string | null };
  return {
    id: entry.id,
    label: entry.label,
    present: found.present,
    metrics: found.metrics,
    labels: { ...found.labels },
    variant: found.variant ?? null,
    howTo: entry.howTo,
  };
}

function figure(name: string, source: MetricSource): FigureSource {
  return source.kind === 'available'
    ? {
        figure: name,
        status: 'available',
        metric: source.components?.join(' + ') ?? source.metric,
        description: source.description,
      }
    : {
        figure: name,
        status: 'missing',
        metric: null,
        description: `${source.description}. Needs one of: ${source.needed.join(', ')}. ${source.howTo}`,
      };
}

function figures(discovery: ExporterDiscovery): FigureSource[] {
  return [
    figure('GPU activity', pickGpuUtilSource(discovery)),
    figure('GPU memory', pickGpuMemorySource(discovery)),
    figure('GPU power', pickGpuPowerSource(discovery)),
    figure('GPU energy', pickGpuEnergySource(discovery)),
    figure('CPU and memory energy', pickWorkloadEnergySource(discovery)),
    figure('Requests', pickRequestSource(discovery)),
    figure('Latency', pickLatencySource(discovery)),
    figure('Node prices', pickNodePriceSource(discovery)),
  ];
}

/** Per configured cluster (or the whole Prometheus when none is): which exporters publish, with exact names. */
export async function dataSources(
  browserSignal?: AbortSignal,
  settings: MetricsSettings = metricsSettings(),
): Promise<ClusterDataSources[]> {
  const prometheusUrl = settings.prometheusUrl;
  const names = configuredClusters().map((c) => c.name);
  const clusters = names.length > 0 ? names : [ALL_CLUSTERS];
  if (!prometheusUrl) {
    return clusters.map((cluster) => ({
      cluster,
      prometheusUrl: '',
      discoveredAtMs: Date.now(),
      families: [],
      figures: [],
      error: 'PROMETHEUS_URL is not set',
    }));
  }
  const signal = panelSignal(browserSignal, settings);
  return Promise.all(
    clusters.map(async (cluster): Promise<ClusterDataSources> => {
      try {
        const discovery = await discoverExporters({
          prometheusUrl,
          clusterLabel: settings.clusterLabel,
          ...(cluster === ALL_CLUSTERS ? {} : { cluster }),
          signal,
        });
        return {
          cluster,
          prometheusUrl,
          discoveredAtMs: discovery.discoveredAtMs,
          families: families.map((f) => family(discovery, f)),
          figures: figures(discovery),
          error: null,
        };
      } catch (error) {
        if (browserSignal?.aborted) throw error;
        return {
          cluster,
          prometheusUrl,
          discoveredAtMs: Date.now(),
          families: [],
          figures: [],
          error: describeError(error),
        };
      }
    }),
  );
}
