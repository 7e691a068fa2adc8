import type { ClusterSpec, ServingWorkload } from '../topology.ts';
import { instanceTypes } from '../topology.ts';
import { clusterActivity } from './activity.ts';
import { knativeDesiredReplicas } from './autoscaler.ts';
import type { ClusterState, SimPod } from './cluster-state.ts';
import { containerSamples } from './exporters/containers.ts';
import { dcgmSamples } from './exporters/dcgm.ts';
import { argoSamples, kubeStateSamples } from './exporters/kube-state.ts';
import { openCostSamples } from './exporters/opencost.ts';
import { servingSamples } from './exporters/serving.ts';
import { nominalClusterState } from './nominal-state.ts';
import { SampleSink, seriesKey, type MetricFilter, type Sample } from './samples.ts';
import { scenarioAt, type Scenario } from './scenario.ts';
import { offeredRps } from './traffic.ts';

export interface SimulatorOptions {
  seed: number;
  scenario: () => Scenario;
  /** Families the exporters publish (default all); `setMetricFilter` changes it between history tiers. */
  metricFilter?: MetricFilter;
}

/** Counter totals and the instant they were integrated to: what a restart needs to stay continuous. */
export interface SimulatorSnapshot {
  lastMs: number | null;
  totals: [string, number][];
  rates: [string, number][];
}

const pruneAfterMs = 3_600_000;

/**
 * One cluster's metrics over time. Gauges are a pure function of (state, instant); counters are
 * the integral of their rates from the first instant this simulator (or its snapshot) saw, so
 * history and live continue one another whatever state drives them.
 */
export class ClusterSimulator {
  private totals = new Map<string, number>();
  private rates = new Map<string, number>();
  private lastSeenMs = new Map<string, number>();
  private lastMs: number | null = null;
  private advances = 0;

  private metricFilter: MetricFilter;

  constructor(
    readonly spec: ClusterSpec,
    private readonly opts: SimulatorOptions,
  ) {
    this.metricFilter = opts.metricFilter ?? (() => true);
  }

  setMetricFilter(filter: MetricFilter): void {
    this.metricFilter = filter;
  }

  get seed(): number {
    return this.opts.seed;
  }

  rpsAt(workload: ServingWorkload, tMs: number): number {
    return offeredRps({
      seed: this.opts.seed,
      cluster: this.spec.name,
      region: this.spec.region,
      workload,
      tMs,
      scenario: scenarioAt(this.opts.scenario(), tMs),
    });
  }

  knativeDesired(workload: ServingWorkload, tMs: number): number {
    return knativeDesiredReplicas(workload, tMs, (t) => this.rpsAt(workload, t));
  }

  /** The cluster as its schedule has it at `tMs` (history), reusing live Deployment pods if given. */
  nominalState(tMs: number, livePods?: SimPod[]): ClusterState {
    return nominalClusterState({
      spec: this.spec,
      seed: this.opts.seed,
      tMs,
      livePods,
      rpsAt: (w, t) => this.rpsAt(w, t),
      failRunningSteps: scenarioAt(this.opts.scenario(), tMs) === 'pipeline-failure',
    });
  }

  /**
   * Integrates counters up to `tMs`, then returns every series at `tMs` (counters as totals);
   * without `withSlow`, the slow series are not computed (history skips them between slots).
   */
  advance(tMs: number, state: ClusterState, withSlow = true): Sample[] {
    if (this.lastMs !== null && tMs > this.lastMs) {
      const dtSeconds = (tMs - this.lastMs) / 1000;
      for (const [key, rate] of this.rates) this.totals.set(key, (this.totals.get(key) ?? 0) + rate * dtSeconds);
    }
    if (this.lastMs === null || tMs > this.lastMs) this.lastMs = tMs;
    const samples = this.evaluate(state, tMs, withSlow);
    const rates = new Map<string, number>();
    for (const s of samples) {
      if (!s.counter) continue;
      const key = s.accumulatorKey ?? seriesKey(s);
      rates.set(key, s.value);
      this.lastSeenMs.set(key, tMs);
      s.value = this.totals.get(key) ?? 0;
    }
    this.rates = rates;
    if (++this.advances % 500 === 0) this.prune(tMs);
    return samples;
  }

  snapshot(): SimulatorSnapshot {
    return { lastMs: this.lastMs, totals: [...this.totals], rates: [...this.rates] };
  }

  restore(snapshot: SimulatorSnapshot): void {
    this.lastMs = snapshot.lastMs;
    this.totals = new Map(snapshot.totals);
    this.rates = new Map(snapshot.rates);
    this.lastSeenMs = new Map(snapshot.totals.map(([k]) => [k, snapshot.lastMs ?? 0]));
  }

  private evaluate(state: ClusterState, tMs: number, withSlow: boolean): Sample[] {
    const scenario = scenarioAt(this.opts.scenario(), tMs);
    const sink = new SampleSink(this.metricFilter, withSlow);
    const activity = clusterActivity(this.spec, state, tMs, this.opts.seed, (w) => this.rpsAt(w, tMs));
    const hotNode =
      scenario === 'gpu-hot'
        ? (this.spec.nodes.find((n) => instanceTypes[n.instanceType].gpuCount > 0)?.name ?? null)
        : null;
    const podGpuWatts = dcgmSamples(this.spec, activity, tMs, this.opts.seed, hotNode, sink);
    containerSamples(activity, podGpuWatts, sink);
    const knativeDesired = new Map(
      this.spec.serving
        .filter((w) => w.kind === 'KnativeService')
        .map((w) => [`${w.namespace}/${w.name}`, this.knativeDesired(w, tMs)] as const),
    );
    servingSamples(this.spec, state, activity, knativeDesired, sink);
    kubeStateSamples(this.spec, state, sink);
    argoSamples(state, sink);
    if (!withSlow) return sink.samples;
    const pricesFrom = sink.samples.length;
    openCostSamples(this.spec, sink);
    for (let i = pricesFrom; i < sink.samples.length; i++) sink.samples[i]!.slow = true;
    return sink.samples;
  }

  private prune(tMs: number): void {
    for (const [key, seenMs] of this.lastSeenMs) {
      if (tMs - seenMs < pruneAfterMs) continue;
      this.lastSeenMs.delete(key);
      this.totals.delete(key);
    }
  }
}
