import type { ClusterName } from '../topology.ts';
import type { ClusterState } from './cluster-state.ts';
import type { Sample } from './samples.ts';
import { scenarioSchema, type Scenario, type ScenarioName } from './scenario.ts';
import type { ClusterSimulator } from './simulator.ts';

export interface LiveCluster {
  simulator: ClusterSimulator;
  /** The cluster as the Kubernetes API has it now. */
  state: () => ClusterState;
  /** Where the Knative autoscaler's decision goes (the demo API's Knative controller). */
  setKnativeScale?: (namespace: string, service: string, replicas: number) => void;
}

/** The scenario in force; switching it starts the new one now, history stays `normal`. */
export class ScenarioSwitch {
  private scenario: Scenario;

  constructor(
    name: ScenarioName,
    private readonly now: () => number,
  ) {
    this.scenario = { name: scenarioSchema.parse(name), sinceMs: now() };
  }

  current(): Scenario {
    return this.scenario;
  }

  set(name: ScenarioName): Scenario {
    this.scenario = { name, sinceMs: this.now() };
    return this.scenario;
  }
}

/**
 * Samples older than this are recomputed on scrape: the nine exporters of a cluster, scraped at
 * offsets spread over the interval, share what the last tick computed.
 */
const defaultFreshForMs = 5000;

/** Drives the simulators from the live clusters: a tick for the autoscaler, plus on-demand samples. */
export class LiveSimulation {
  private timer: NodeJS.Timeout | null = null;
  private autoscaler: NodeJS.Timeout | null = null;
  private latest = new Map<ClusterName, { atMs: number; samples: Sample[] }>();
  private knativeScale = new Map<string, number>();

  constructor(
    private readonly clusters: LiveCluster[],
    private readonly now: () => number,
    private readonly tickMs = 5000,
    /** Longer for a large cluster, whose samples take seconds to compute. */
    private readonly freshForMs = defaultFreshForMs,
  ) {}

  /** Until started (history is still being written), scrapes get 503 instead of moving the counters. */
  get started(): boolean {
    return this.timer !== null;
  }

  /**
   * Runs the Knative autoscaler alone, without sampling (which would move the counters history is
   * still integrating): the API's Knative pods follow traffic from the moment the API is up.
   */
  startAutoscaler(): void {
    if (this.autoscaler || this.timer) return;
    this.autoscale();
    this.autoscaler = setInterval(() => this.autoscale(), this.tickMs);
    this.autoscaler.unref();
  }

  start(): void {
    if (this.autoscaler) clearInterval(this.autoscaler);
    this.autoscaler = null;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.autoscaler) clearInterval(this.autoscaler);
    this.timer = null;
    this.autoscaler = null;
  }

  samples(cluster: ClusterName): Sample[] | null {
    const c = this.clusters.find((x) => x.simulator.spec.name === cluster);
    if (!c) return null;
    const cached = this.latest.get(cluster);
    const nowMs = this.now();
    if (cached && nowMs - cached.atMs < this.freshForMs) return cached.samples;
    const samples = c.simulator.advance(nowMs, c.state());
    this.latest.set(cluster, { atMs: nowMs, samples });
    return samples;
  }

  /** Sets each Knative Service's replicas to what its autoscaler wants now. */
  autoscale(): void {
    const nowMs = this.now();
    for (const c of this.clusters) {
      if (!c.setKnativeScale) continue;
      for (const w of c.simulator.spec.serving) {
        if (w.kind !== 'KnativeService') continue;
        const key = `${c.simulator.spec.name}/${w.namespace}/${w.name}`;
        const desired = c.simulator.knativeDesired(w, nowMs);
        if (this.knativeScale.get(key) === desired) continue;
        this.knativeScale.set(key, desired);
        c.setKnativeScale(w.namespace, w.name, desired);
      }
    }
  }

  private tick(): void {
    for (const c of this.clusters) this.samples(c.simulator.spec.name);
    this.autoscale();
  }
}
