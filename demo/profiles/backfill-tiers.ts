// History in tiers, oldest first: each stretch written at its own step, with its own families and
// pods, by the one simulator per cluster, so counters run on across the seams.
import { backfill, type BackfillCluster } from '../prometheus/backfill.ts';
import type { MetricFilter } from '../sim/samples.ts';
import type { HistoryTier } from './index.ts';

export interface TierBackfillOptions {
  tiers: HistoryTier[];
  clusters: BackfillCluster[];
  /** History starts here (a resumed demo starts at its checkpoint). */
  fromMs: number;
  /** The instant tiers are measured back from. */
  nowMs: number;
  /** The last instant written. */
  toMs: number;
  /** Families the live exporters publish, set again when history is written. */
  liveFilter?: MetricFilter;
  dataDir: string;
  workDir: string;
  exportersAddress: string;
  log?: (msg: string) => void;
}

/** Writes every tier that reaches past `fromMs`; returns the last instant written. */
export async function backfillTiers(opts: TierBackfillOptions): Promise<number> {
  let lastMs = opts.fromMs - 1;
  for (const [i, tier] of opts.tiers.entries()) {
    const next = opts.tiers[i + 1];
    const startMs = Math.max(opts.nowMs - tier.fromAgoMs, lastMs + 1);
    const endMs = next ? Math.min(opts.toMs, opts.nowMs - next.fromAgoMs - 1) : opts.toMs;
    if (endMs < startMs) continue;
    for (const c of opts.clusters) c.simulator.setMetricFilter(tier.keep);
    const keepPod = tier.pods;
    const clusters = opts.clusters.map((c): BackfillCluster => ({
      simulator: c.simulator,
      stateAt: keepPod
        ? (t) => {
            const s = c.stateAt(t);
            return { ...s, pods: s.pods.filter(keepPod) };
          }
        : c.stateAt,
    }));
    opts.log?.(
      `backfill tier ${i + 1}/${opts.tiers.length}: ${((endMs - startMs) / 3_600_000).toFixed(2)} h at ${tier.stepMs / 1000} s`,
    );
    const result = await backfill({
      clusters,
      fromMs: startMs,
      toMs: endMs,
      stepMs: tier.stepMs,
      chunkMs: tier.chunkMs,
      dataDir: opts.dataDir,
      workDir: opts.workDir,
      exportersAddress: opts.exportersAddress,
      log: opts.log,
    });
    lastMs = result.lastMs;
  }
  for (const c of opts.clusters) c.simulator.setMetricFilter(opts.liveFilter ?? (() => true));
  return lastMs;
}
