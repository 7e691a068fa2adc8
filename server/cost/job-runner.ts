import 'server-only';
import { appConfig } from '@/server/config';
import { configuredClusters, clusterPrometheusUrl } from '@/server/clusters/config';
import { getDatabase } from '@/server/db/client';
import { logger } from '@/server/observability/logger';
import { runCostPass, type CostJobCluster, type NodeHoursSeen } from './job';

// The allocation job inside the app's server: a pass at start (the backfill), then one a minute, and
// one soon after a billing import. One runner per process, on globalThis (Next bundles modules twice).

const passIntervalMs = 60_000;
const stateKey = Symbol.for('burnrate.cost.job');

interface RunnerState {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  /** Asked to run again while a pass was running. */
  again: boolean;
  stopped: boolean;
  nodeHoursSeen: Map<string, NodeHoursSeen>;
}

function runnerState(): RunnerState {
  const g = globalThis as typeof globalThis & { [stateKey]?: RunnerState };
  g[stateKey] ??= { timer: null, running: null, again: false, stopped: true, nodeHoursSeen: new Map() };
  return g[stateKey];
}

function jobClusters(): CostJobCluster[] {
  return configuredClusters().flatMap(({ name }) => {
    const prometheusUrl = clusterPrometheusUrl(name);
    return prometheusUrl ? [{ name, prometheusUrl }] : [];
  });
}

async function pass(): Promise<void> {
  const config = appConfig();
  const log = logger().child({ job: 'cost-allocation' });
  const startedMs = performance.now();
  const report = await runCostPass({
    database: await getDatabase(),
    clusters: jobClusters(),
    clusterLabel: config.prometheusClusterLabel,
    scrapeIntervalSeconds: config.prometheusScrapeIntervalSeconds,
    log,
    nodeHoursSeen: runnerState().nodeHoursSeen,
  });
  if (report.ranges > 0 || report.failedClusters.length > 0)
    log.info({ ...report, durationMs: Math.round(performance.now() - startedMs) }, 'cost allocation pass done');
}

function schedule(state: RunnerState, delayMs: number): void {
  if (state.stopped) return;
  if (state.timer) clearTimeout(state.timer);
  state.timer = setTimeout(() => void runNow(), delayMs);
  state.timer.unref();
}

/** Runs a pass now, or right after the one running. */
export function runNow(): Promise<void> {
  const state = runnerState();
  if (state.running) {
    state.again = true;
    return state.running;
  }
  state.running = pass()
    .catch((error: unknown) => logger().error({ err: error }, 'cost allocation pass failed'))
    .finally(() => {
      state.running = null;
      const again = state.again;
      state.again = false;
      schedule(state, again ? 0 : passIntervalMs);
    });
  return state.running;
}

/** Starts the job once per process: the first pass backfills, later passes take each new hour. */
export function startCostJob(): void {
  const state = runnerState();
  if (!state.stopped) return;
  state.stopped = false;
  schedule(state, 0);
}

export async function stopCostJob(): Promise<void> {
  const state = runnerState();
  state.stopped = true;
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  await state.running;
}
