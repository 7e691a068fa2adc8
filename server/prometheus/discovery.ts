import 'server-only';
import { setMaxListeners } from 'node:events';
import { LRUCache } from 'lru-cache';
import { prometheusClient, type PrometheusClient } from './client';
import { eq, escapeRegex, group, re, selector, type LabelMatcher } from './query-builder';

const recentStepSeconds = 300;
/** A discovery that hangs this long gives up; pages keep the previous one meanwhile. */
const discoveryTimeoutMs = 30_000;

export const dcgmMetrics = {
  gpuUtil: 'DCGM_FI_DEV_GPU_UTIL',
  grEngineActive: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  smActive: 'DCGM_FI_PROF_SM_ACTIVE',
  fbUsed: 'DCGM_FI_DEV_FB_USED',
  fbFree: 'DCGM_FI_DEV_FB_FREE',
  power: 'DCGM_FI_DEV_POWER_USAGE',
  totalEnergy: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
  temperature: 'DCGM_FI_DEV_GPU_TEMP',
} as const;

export const keplerTotalMetric = 'kepler_container_joules_total';
/** Newer Kepler releases publish one counter per component instead of a total. */
const keplerComponentPattern = /^kepler_container_[a-z]+_joules_total$/;

export const vllmMetrics = [
  'vllm:request_success_total',
  'vllm:prompt_tokens_total',
  'vllm:generation_tokens_total',
  'vllm:num_requests_running',
  'vllm:num_requests_waiting',
  'vllm:e2e_request_latency_seconds_bucket',
  'vllm:time_to_first_token_seconds_bucket',
] as const;

export const httpMetrics = {
  otelDurationBucket: 'http_server_request_duration_seconds_bucket',
  otelDurationCount: 'http_server_request_duration_seconds_count',
  legacyRequests: 'http_requests_total',
} as const;

/** Knative before 1.19 (OpenCensus names); 1.19+ exports OpenTelemetry metrics prefixed `kn_`. */
export const knativeLegacyMetrics = [
  'revision_request_count',
  'revision_request_latencies_bucket',
  'revision_app_request_count',
  'revision_app_request_latencies_bucket',
  'autoscaler_desired_pods',
  'autoscaler_actual_pods',
  'activator_request_count',
] as const;
const knativeOtelPattern = /^kn_(serving|revision|activator|autoscaler)_/;
export const knativeOtelInvocationCount = 'kn_serving_invocation_duration_seconds_count';
export const knativeOtelInvocationBucket = 'kn_serving_invocation_duration_seconds_bucket';

export const kubeStateMetrics = [
  'kube_pod_info',
  'kube_pod_owner',
  'kube_pod_container_resource_requests',
  'kube_node_labels',
] as const;
const kubeDeploymentPattern = /^kube_deployment_/;
export const cadvisorMetrics = ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes'] as const;
export const openCostMetrics = [
  'node_cpu_hourly_cost',
  'node_ram_hourly_cost',
  'node_gpu_hourly_cost',
  'node_total_hourly_cost',
] as const;

/** Which label carries each workload dimension; `exported_*` when the scrape relabelled the exporter's own. */
export interface LabelVariants {
  namespace: string | null;
  pod: string | null;
  container: string | null;
  hostname: string | null;
}

export interface FamilyDiscovery {
  present: boolean;
  /** Exact metric names found, sorted. */
  metrics: string[];
  labels: LabelVariants;
}

export interface ExporterDiscovery {
  prometheusUrl: string;
  cluster: string | null;
  discoveredAtMs: number;
  dcgm: FamilyDiscovery;
  kepler: FamilyDiscovery & { variant: 'total' | 'per-component' | null };
  vllm: FamilyDiscovery;
  http: FamilyDiscovery & { otel: boolean; legacy: boolean };
  knative: FamilyDiscovery & { variant: 'before-1.19' | 'otel-1.19+' | null };
  kubeStateMetrics: FamilyDiscovery;
  cadvisor: FamilyDiscovery;
  openCost: FamilyDiscovery;
}

export interface DiscoveryInput {
  prometheusUrl: string;
  /** Restrict to series whose `clusterLabel` equals this value (one Prometheus, several clusters). */
  cluster?: string;
  clusterLabel?: string;
  signal?: AbortSignal;
}

export interface DiscoveryOptions {
  ttlMs?: number;
  /** Only series seen this recently count as present. */
  lookbackSeconds?: number;
  clientFor?: (prometheusUrl: string) => PrometheusClient;
  now?: () => number;
}

const noLabels: LabelVariants = { namespace: null, pod: null, container: null, hostname: null };

function firstPresent(labelNames: ReadonlySet<string>, candidates: readonly string[]): string | null {
  return candidates.find((c) => labelNames.has(c)) ?? null;
}

function labelVariants(labelNames: ReadonlySet<string>): LabelVariants {
  return {
    namespace: firstPresent(labelNames, ['exported_namespace', 'namespace', 'container_namespace']),
    pod: firstPresent(labelNames, ['exported_pod', 'pod', 'pod_name']),
    container: firstPresent(labelNames, ['exported_container', 'container', 'container_name']),
    hostname: firstPresent(labelNames, ['Hostname', 'hostname', 'node', 'instance']),
  };
}

const cataloguedNames = new Set<string>([
  ...Object.values(dcgmMetrics),
  keplerTotalMetric,
  ...vllmMetrics,
  ...Object.values(httpMetrics),
  ...knativeLegacyMetrics,
  ...kubeStateMetrics,
  ...cadvisorMetrics,
  ...openCostMetrics,
]);
const cataloguedPatterns = [keplerComponentPattern, knativeOtelPattern, kubeDeploymentPattern];

function isCatalogued(name: string): boolean {
  return cataloguedNames.has(name) || cataloguedPatterns.some((p) => p.test(name));
}

/**
 * The label values API answers per TSDB block (up to weeks wide), so it also lists metrics gone long ago.
 * A range query of `group by (__name__)` at a 5-minute step (the default lookback) keeps those seen lately.
 */
async function namesSeenRecently(
  client: PrometheusClient,
  candidates: string[],
  clusterMatchers: LabelMatcher[],
  window: { startSeconds: number; endSeconds: number },
  signal: AbortSignal,
): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const candidatesSelector = selector(null, [
    re('__name__', candidates.map(escapeRegex).join('|')),
    ...clusterMatchers,
  ]);
  const result = await client.queryRange(
    group(candidatesSelector, { by: ['__name__'] }),
    { ...window, stepSeconds: recentStepSeconds },
    { signal },
  );
  return new Set(result.result.flatMap((s) => (s.metric.__name__ ? [s.metric.__name__] : [])));
}

export function createExporterDiscovery(
  options: DiscoveryOptions = {},
): (input: DiscoveryInput) => Promise<ExporterDiscovery> {
  const clientFor = options.clientFor ?? prometheusClient;
  const now = options.now ?? Date.now;
  const lookbackSeconds = options.lookbackSeconds ?? 3600;

  async function discover(input: DiscoveryInput, signal: AbortSignal): Promise<ExporterDiscovery> {
    const client = clientFor(input.prometheusUrl);
    const clusterLabel = input.clusterLabel ?? 'cluster';
    const clusterMatchers = input.cluster === undefined ? [] : [eq(clusterLabel, input.cluster)];
    const window = { endSeconds: now() / 1000, startSeconds: now() / 1000 - lookbackSeconds };
    const match = clusterMatchers.length > 0 ? [selector(null, clusterMatchers)] : undefined;
    const candidates = (await client.labelValues('__name__', { ...window, match }, { signal })).filter(isCatalogued);
    const names = await namesSeenRecently(client, candidates, clusterMatchers, window, signal);

    const found = (catalogue: readonly string[], pattern?: RegExp): string[] =>
      [...names].filter((n) => catalogue.includes(n) || (pattern?.test(n) ?? false)).sort();
    const family = async (metrics: string[]): Promise<FamilyDiscovery> => {
      if (metrics.length === 0) return { present: false, metrics, labels: noLabels };
      const familySelector = selector(null, [re('__name__', metrics.map(escapeRegex).join('|')), ...clusterMatchers]);
      const labelNames = await client.labelNames({ ...window, match: [familySelector] }, { signal });
      return { present: true, metrics, labels: labelVariants(new Set(labelNames)) };
    };

    const httpFound = found(Object.values(httpMetrics));
    const knativeLegacy = found(knativeLegacyMetrics);
    const knativeOtel = found([], knativeOtelPattern);
    const keplerComponents = found([], keplerComponentPattern).filter((n) => n !== keplerTotalMetric);
    const keplerTotal = found([keplerTotalMetric]);
    const [dcgm, kepler, vllm, http, knative, ksm, cadvisor, openCost] = await Promise.all([
      family(found(Object.values(dcgmMetrics))),
      family([...keplerTotal, ...keplerComponents]),
      family(found(vllmMetrics)),
      family(httpFound),
      family([...knativeLegacy, ...knativeOtel]),
      family(found(kubeStateMetrics, kubeDeploymentPattern)),
      family(found(cadvisorMetrics)),
      family(found(openCostMetrics)),
    ]);
    return {
      prometheusUrl: client.url,
      cluster: input.cluster ?? null,
      discoveredAtMs: now(),
      dcgm,
      kepler: {
        ...kepler,
        variant: keplerComponents.length > 0 ? 'per-component' : keplerTotal.length > 0 ? 'total' : null,
      },
      vllm,
      http: {
        ...http,
        otel: httpFound.some((n) => n.startsWith('http_server_request_duration_seconds')),
        legacy: httpFound.includes(httpMetrics.legacyRequests),
      },
      knative: {
        ...knative,
        variant: knativeOtel.length > 0 ? 'otel-1.19+' : knativeLegacy.length > 0 ? 'before-1.19' : null,
      },
      kubeStateMetrics: ksm,
      cadvisor,
      openCost,
    };
  }

  // Stale while revalidate (lru-cache's fetch with allowStale): exporters change rarely, and a page
  // that waited for discovery paid three round trips (~1.2 s on a busy machine) before its first query.
  // One refresh per key at a time; a caller giving up does not cancel it for the others.
  const cache = new LRUCache<string, ExporterDiscovery, DiscoveryInput>({
    max: 100,
    ttl: options.ttlMs ?? 60_000,
    allowStale: true,
    noDeleteOnStaleGet: true,
    ignoreFetchAbort: true,
    allowStaleOnFetchAbort: true,
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
    // Not lru-cache's signal: it fires when the first caller gives up (see ignoreFetchAbort).
    fetchMethod: (_key, _stale, { context }) => {
      const signal = AbortSignal.timeout(discoveryTimeoutMs);
      // Ten calls of one discovery listen to it.
      setMaxListeners(100, signal);
      return discover(context, signal);
    },
  });

  return async (input) => {
    const client = clientFor(input.prometheusUrl);
    const key = JSON.stringify([client.url, input.clusterLabel ?? 'cluster', input.cluster ?? null]);
    const found = await cache.fetch(key, { context: input, ...(input.signal ? { signal: input.signal } : {}) });
    if (!found) throw input.signal?.reason ?? new Error('exporter discovery gave no answer');
    return found;
  };
}

const discoveryKey = Symbol.for('burnrate.prometheus.discovery');
type GlobalWithDiscovery = typeof globalThis & {
  [discoveryKey]?: (input: DiscoveryInput) => Promise<ExporterDiscovery>;
};

/** Which exporters publish to this Prometheus (or to one cluster in it); refreshed after a minute, in the background. */
export function discoverExporters(input: DiscoveryInput): Promise<ExporterDiscovery> {
  const g = globalThis as GlobalWithDiscovery;
  g[discoveryKey] ??= createExporterDiscovery();
  return g[discoveryKey](input);
}
