import 'server-only';
import { setMaxListeners } from 'node:events';
import type { TimeRangeInput } from '@/lib/time-range';
import { DomainError } from '@/server/errors';
import { logger } from '@/server/observability/logger';
import { discoverExporters, type DiscoveryInput, type ExporterDiscovery } from '@/server/prometheus/discovery';
import { PrometheusError } from '@/server/prometheus/errors';
import { createPanelQueryRunner, type PanelQueryRunner } from '@/server/prometheus/panel-query';
import {
  checkedCluster,
  checkedRange,
  clusterMatchers,
  metricsSettings,
  ALL_CLUSTERS,
  type MetricsSettings,
} from './config';
import { gpuPanels } from './gpu-panels';
import { LastGood } from './last-good';
import { overviewPanels } from './overview-panels';
import type { PanelContext, PanelDefinition } from './panel-plan';
import { runPlan } from './run-plan';
import type { PanelUnavailable, RangePanelResponse, StaleInfo } from './types';

export const panelDefinitions: ReadonlyMap<string, PanelDefinition> = new Map(
  [...gpuPanels, ...overviewPanels].map((p) => [p.id, p]),
);
export const panelIds = [...panelDefinitions.keys()] as [string, ...string[]];

export interface PanelRequest {
  panel: string;
  cluster: string;
  range: TimeRangeInput;
  /** Chart width in points. */
  pointsWanted: number;
}

/** What a panel needs from the outside; tests pass their own runner and settings. */
export interface PanelDeps {
  settings: MetricsSettings;
  runner: PanelQueryRunner;
  discover: (input: DiscoveryInput) => Promise<ExporterDiscovery>;
  now: () => number;
}

/**
 * Answers stay fresh for 5 s: the panels of one page and viewers arriving together share them,
 * while every refresh (10 s at the shortest) reaches Prometheus and notices when it is down.
 */
const panelCacheTtlMs = 5_000;
const runnerKey = Symbol.for('burnrate.metrics.panelRunner');
type GlobalWithRunner = typeof globalThis & { [runnerKey]?: PanelQueryRunner };

function panelRunner(): PanelQueryRunner {
  const g = globalThis as GlobalWithRunner;
  g[runnerKey] ??= createPanelQueryRunner({ cacheTtlMs: panelCacheTtlMs });
  return g[runnerKey];
}

export function defaultPanelDeps(): PanelDeps {
  return {
    settings: metricsSettings(),
    runner: panelRunner(),
    discover: discoverExporters,
    now: Date.now,
  };
}

/**
 * The kind of a Prometheus error, or null. Each Next route bundle has its own copy of the error
 * classes while breakers are process-wide (Symbol.for), so a breaker may throw another bundle's
 * class: `instanceof` alone misses it, the shape does not.
 */
export function prometheusErrorKind(error: unknown): string | null {
  if (error instanceof PrometheusError) return error.kind;
  if (!(error instanceof Error)) return null;
  const { kind, prometheusUrl } = error as { kind?: unknown; prometheusUrl?: unknown };
  return typeof kind === 'string' && typeof prometheusUrl === 'string' ? kind : null;
}

/** A failure a previous answer may stand in for: Prometheus down, slow, or its breaker open. */
export function isUpstreamFailure(error: unknown): boolean {
  const kind = prometheusErrorKind(error);
  if (kind !== null) return kind !== 'bad-query';
  return error instanceof DOMException && error.name === 'TimeoutError';
}

export function describeError(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'Prometheus did not answer in time';
  return error instanceof Error ? error.message : String(error);
}

export interface ResolvedRequest {
  settings: MetricsSettings;
  prometheusUrl: string;
  cluster: string;
  startMs: number;
  endMs: number;
}

/** Validates cluster and range (BAD_INPUT) and finds the Prometheus to ask. */
export function resolveRequest(
  cluster: string,
  range: TimeRangeInput,
  deps: PanelDeps,
): ResolvedRequest | { error: string } {
  const checked = checkedCluster(cluster);
  const { fromMs, toMs } = checkedRange(range, deps.now());
  const prometheusUrl = deps.settings.prometheusUrl;
  if (!prometheusUrl) return { error: 'PROMETHEUS_URL is not set: Burnrate has no Prometheus to ask.' };
  return { settings: deps.settings, prometheusUrl, cluster: checked, startMs: fromMs, endMs: toMs };
}

/**
 * Discovers the exporters of every cluster, and of all together, when the server starts: no
 * visitor waits for discovery, which is refreshed in the background afterwards (discovery.ts).
 */
export async function warmExporterDiscovery(clusters: readonly string[], deps = defaultPanelDeps()): Promise<void> {
  const { prometheusUrl, clusterLabel } = deps.settings;
  if (!prometheusUrl) return;
  await Promise.all(
    [undefined, ...clusters].map((cluster) =>
      deps.discover({ prometheusUrl, clusterLabel, ...(cluster ? { cluster } : {}) }).catch((error: unknown) => {
        logger().warn({ err: error, cluster }, 'exporter discovery at start failed; the first page will retry');
      }),
    ),
  );
}

export async function panelContext(
  request: ResolvedRequest,
  deps: PanelDeps,
  signal: AbortSignal,
): Promise<PanelContext> {
  const { settings, cluster } = request;
  const discovery = await deps.discover({
    prometheusUrl: request.prometheusUrl,
    clusterLabel: settings.clusterLabel,
    ...(cluster === ALL_CLUSTERS ? {} : { cluster }),
    signal,
  });
  return {
    discovery,
    scope: { clusterLabel: settings.clusterLabel, matchers: clusterMatchers(cluster, settings) },
    allClusters: cluster === ALL_CLUSTERS,
  };
}

/** The browser's signal plus the panel timeout: a hung Prometheus yields stale data, not a hung page. */
export function panelSignal(signal: AbortSignal | undefined, settings: MetricsSettings): AbortSignal {
  const timeout = AbortSignal.timeout(settings.panelTimeoutMs);
  // One browser request carries a whole tRPC batch: a dozen panels listen to the same signal.
  if (signal) setMaxListeners(100, signal);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

const lastGoodKey = Symbol.for('burnrate.metrics.lastGoodPanels');
type GlobalWithLastGood = typeof globalThis & { [lastGoodKey]?: LastGood<unknown> };

/** The process-wide store of last good answers (every panel and table view). */
export function lastGoodAnswers(): LastGood<unknown> {
  const g = globalThis as GlobalWithLastGood;
  g[lastGoodKey] ??= new LastGood<unknown>();
  return g[lastGoodKey];
}

type Answer = { status: 'ok'; stale: StaleInfo | null } | { status: 'missing' } | PanelUnavailable;

/**
 * Runs `compute`; when Prometheus fails, answers with the last good result for `key` marked stale,
 * or `unavailable`. Failures come back as data, never as thrown errors (no 5xx, no console noise).
 */
export async function withLastGood<A extends Answer>(
  key: string,
  panel: string,
  request: ResolvedRequest | { error: string },
  browserSignal: AbortSignal | undefined,
  deps: PanelDeps,
  lastGood: LastGood<unknown>,
  compute: (request: ResolvedRequest, signal: AbortSignal) => Promise<A>,
): Promise<A | PanelUnavailable> {
  const unavailable = (error: string): PanelUnavailable => ({
    status: 'unavailable',
    panel,
    error,
    sinceMs: deps.now(),
    queries: [],
  });
  if ('error' in request) return unavailable(request.error);
  try {
    // While the breaker is half-open, calls wait for its probe (cockatiel): no retry needed here.
    const result = await compute(request, panelSignal(browserSignal, request.settings));
    if (result.status === 'ok' && result.stale === null) lastGood.remember(key, result, deps.now());
    return result;
  } catch (error) {
    if (browserSignal?.aborted) throw error;
    if (prometheusErrorKind(error) === null && !isUpstreamFailure(error)) throw error;
    const message = describeError(error);
    if (!isUpstreamFailure(error)) {
      logger().error({ err: error, panel }, 'panel query rejected by Prometheus');
      return unavailable(message);
    }
    const previous = lastGood.recall(key, deps.now());
    if (!previous) return unavailable(message);
    const value = previous.value as A & { stale: StaleInfo | null };
    return { ...value, stale: { sinceMs: previous.failingSinceMs, fetchedAtMs: previous.fetchedAtMs, error: message } };
  }
}

/** One chart's data; Prometheus failures come back as stale or unavailable data. */
export async function rangePanel(
  input: PanelRequest,
  browserSignal?: AbortSignal,
  deps: PanelDeps = defaultPanelDeps(),
  lastGood: LastGood<unknown> = lastGoodAnswers(),
): Promise<RangePanelResponse> {
  const definition = panelDefinitions.get(input.panel);
  if (!definition) throw new DomainError('BAD_INPUT', `Unknown panel "${input.panel}".`, 'panel');
  const request = resolveRequest(input.cluster, input.range, deps);
  const key = JSON.stringify([input.panel, input.cluster, input.range.from, input.range.to, input.pointsWanted]);
  return withLastGood(key, input.panel, request, browserSignal, deps, lastGood, async (resolved, signal) => {
    const context = await panelContext(resolved, deps, signal);
    return runPlan(resolved, input.panel, definition.build(context), input.pointsWanted, deps, signal);
  });
}
