// Which platform `npm run demo` simulates: the default two clusters of the topology, or `large`
// (one cluster of 1,000 nodes and ~30,000 pods) for benchmarks. A profile is data: clusters, what
// their exporters publish, how Prometheus scrapes them and how history is backfilled.
import type { MetricFilter } from '../sim/samples.ts';
import type { SimPod } from '../sim/cluster-state.ts';
import { clusters, type ClusterSpec } from '../topology.ts';
import { largeClusters } from './large.ts';
import { largeHistoryTiers, largeLiveFilter } from './large-history.ts';

export const profileNames = ['default', 'large'] as const;
export type DemoProfileName = (typeof profileNames)[number];

/** One stretch of backfilled history: from `fromAgoMs` before now until the next tier starts. */
export interface HistoryTier {
  fromAgoMs: number;
  stepMs: number;
  /** Hours per promtool input file: bounds its memory for many series (default a day). */
  chunkMs?: number;
  /** Families written in this stretch. */
  keep: MetricFilter;
  /** Pods this stretch names (the rest have no series then); all pods when absent. */
  pods?: (pod: SimPod) => boolean;
}

export interface DemoProfile {
  name: DemoProfileName;
  clusters: ClusterSpec[];
  /** Families the live exporters publish (all when absent). */
  liveFilter?: MetricFilter;
  scrapeIntervalSeconds?: number;
  scrapeTimeoutSeconds?: number;
  /** How long one evaluation of the live samples serves scrapes (default 1 s). */
  liveFreshForMs?: number;
  /** Tiered history instead of the default fine-then-coarse steps; oldest first. */
  historyTiers?: HistoryTier[];
}

export function demoProfile(name: DemoProfileName): DemoProfile {
  if (name === 'default') return { name, clusters };
  return {
    name,
    clusters: largeClusters(),
    liveFilter: largeLiveFilter,
    scrapeIntervalSeconds: 60,
    scrapeTimeoutSeconds: 55,
    liveFreshForMs: 50_000,
    historyTiers: largeHistoryTiers,
  };
}
