import 'server-only';
import type { Logger } from 'pino';
import type { Database } from '@/server/db/client';
import { costRunsOf, latestImportByDay, replaceCostHours, type CostRun } from '@/server/db/cost-results';
import { prometheusClient } from '@/server/prometheus/client';
import { count, eq, maxOverTime, selector } from '@/server/prometheus/query-builder';
import { allocateHours } from './allocate-hours';
import { recordServingUsage } from './serving-record';
import { billCostInputs, instanceIdOf } from './inputs/bill-inputs';
import { maxPointsPerSeries, prometheusCostInputs } from './inputs/prometheus-inputs';
import { dayMs, dayOf, hourMs, planRanges, type PlannedRange } from './job-plan';
import { DEFAULT_PRICE_SHEET, type PriceSheet } from './model/price-sheet';

// The allocation job: for every cluster, all the history Prometheus holds, then each new complete
// hour; a day again when a newer bill import covers it. One pass at a time per process, in the
// background of the app's server: it awaits I/O and yields between hours, so requests go on.

export interface CostJobCluster {
  name: string;
  prometheusUrl: string;
}

export interface CostJobOptions {
  database: Database;
  clusters: readonly CostJobCluster[];
  clusterLabel: string;
  scrapeIntervalSeconds: number;
  log: Logger;
  priceSheet?: PriceSheet;
  now?: () => number;
  /** Kept between passes by the runner, so a pass asks Prometheus only about recent hours. */
  nodeHoursSeen?: Map<string, NodeHoursSeen>;
}

export interface PassReport {
  ranges: number;
  podHours: number;
  failedClusters: string[];
}

/** An hour is complete once its last scrapes have landed: two scrapes and a minute after its end. */
export function lastCompleteHourEnd(nowMs: number, scrapeIntervalSeconds: number): number {
  return Math.floor((nowMs - 2 * scrapeIntervalSeconds * 1000 - 60_000) / hourMs) * hourMs;
}

/** Which hours hold the cluster's nodes, as far as a previous pass of this process asked Prometheus. */
export interface NodeHoursSeen {
  hours: Set<number>;
  /** End of the last hour asked. */
  untilMs: number;
}

/**
 * The hours (start ms) in which Prometheus holds any node of the cluster, one query: all it may hold
 * (11,000 hours) the first time, then only from a day before the last hour asked (late samples).
 */
async function hoursWithNodes(options: CostJobOptions, cluster: CostJobCluster, endMs: number): Promise<Set<number>> {
  const seen = options.nodeHoursSeen?.get(cluster.name);
  const fromMs = Math.max(endMs - (maxPointsPerSeries - 1) * hourMs, seen ? seen.untilMs - dayMs : 0);
  const hours = new Set([...(seen?.hours ?? [])].filter((h) => h < fromMs));
  if (fromMs < endMs) {
    const nodes = selector('kube_node_info', [eq(options.clusterLabel, cluster.name)]);
    const answer = await prometheusClient(cluster.prometheusUrl).queryRange(count(maxOverTime(nodes, hourMs / 1000)), {
      startSeconds: (fromMs + hourMs) / 1000,
      endSeconds: endMs / 1000,
      stepSeconds: hourMs / 1000,
    });
    for (const [t, n] of answer.result[0]?.values ?? []) if (n > 0) hours.add(t * 1000 - hourMs);
  }
  options.nodeHoursSeen?.set(cluster.name, { hours, untilMs: Math.max(endMs, seen?.untilMs ?? 0) });
  return hours;
}

async function computeRange(
  options: CostJobOptions,
  cluster: CostJobCluster,
  range: PlannedRange,
  previous: CostRun | undefined,
  withNodes: ReadonlySet<number>,
): Promise<number> {
  const startedMs = performance.now();
  const inputs = await prometheusCostInputs({
    prometheusUrl: cluster.prometheusUrl,
    clusterLabel: options.clusterLabel,
    cluster: cluster.name,
    fromMs: range.fromMs,
    toMs: range.toMs,
    scrapeIntervalSeconds: options.scrapeIntervalSeconds,
  });
  const instanceIds = new Set(inputs.hours.flatMap((h) => h.nodes.flatMap((n) => instanceIdOf(n.providerId) ?? [])));
  const { db } = options.database;
  const bill = await billCostInputs(db, { cluster: cluster.name, instanceIds: [...instanceIds], ...range });
  const allocated = await allocateHours(inputs.hours, bill, options.priceSheet ?? DEFAULT_PRICE_SHEET);
  const dayStart = Date.parse(`${range.day}T00:00:00Z`);
  const keep = range.rerun || !previous ? undefined : previous;
  // A day's first range counts from midnight: the hours before Prometheus's history are billed too.
  let hoursWithoutMetrics = 0;
  for (let h = keep ? range.fromMs : dayStart; h < range.toMs; h += hourMs)
    if (!withNodes.has(h)) hoursWithoutMetrics += 1;
  const run: CostRun = {
    cluster: cluster.name,
    day: range.day,
    hoursComputed: (range.toMs - dayStart) / hourMs,
    billImportIds: [...new Set([...(keep?.billImportIds ?? []), ...bill.importIds])].sort((a, b) => a - b),
    latestImportId: range.latestImportId,
    nodeHours: (keep?.nodeHours ?? 0) + allocated.nodeHours,
    podHours: (keep?.podHours ?? 0) + allocated.podHours,
    hoursWithoutMetrics: (keep?.hoursWithoutMetrics ?? 0) + hoursWithoutMetrics,
    durationMs: (keep?.durationMs ?? 0) + (performance.now() - startedMs),
  };
  // Leading hours Prometheus no longer holds (past its retention) keep what was written for them.
  const fromMs = inputs.hours.find((h) => h.nodes.length > 0)?.hourStart.getTime() ?? range.toMs;
  await replaceCostHours(options.database, {
    cluster: cluster.name,
    fromMs,
    toMs: range.toMs,
    allocations: allocated.allocations,
    shared: allocated.shared.filter((s) => s.hourStart.getTime() >= fromMs),
    run,
  });
  // Requests and tokens of the same hours, for cost per request and per 1M tokens.
  const servingRows = await recordServingUsage(
    options.database,
    prometheusClient(cluster.prometheusUrl),
    cluster.name,
    [eq(options.clusterLabel, cluster.name)],
    fromMs,
    range.toMs,
  );
  options.log.info(
    {
      cluster: cluster.name,
      day: range.day,
      hours: (range.toMs - range.fromMs) / hourMs,
      nodeHours: allocated.nodeHours,
      podHours: allocated.podHours,
      podsWithoutNode: allocated.podsWithoutNode,
      servingPodHours: servingRows,
      billImports: bill.importIds,
      rerun: range.rerun,
      durationMs: Math.round(performance.now() - startedMs),
    },
    'cost allocation written',
  );
  return allocated.podHours;
}

/** One pass over every cluster: what is missing or stale is computed, newest day first. */
export async function runCostPass(options: CostJobOptions): Promise<PassReport> {
  const report: PassReport = { ranges: 0, podHours: 0, failedClusters: [] };
  const endMs = lastCompleteHourEnd((options.now ?? Date.now)(), options.scrapeIntervalSeconds);
  for (const cluster of options.clusters) {
    try {
      const withNodes = await hoursWithNodes(options, cluster, endMs);
      if (withNodes.size === 0) continue;
      const historyStartMs = Math.min(...withNodes);
      const [fromDay, toDay] = [dayOf(historyStartMs), dayOf(endMs - 1)];
      const { db } = options.database;
      const [records, latestImports] = await Promise.all([
        costRunsOf(db, cluster.name, fromDay, toDay),
        latestImportByDay(db, fromDay, toDay),
      ]);
      for (const range of planRanges({ historyStartMs, endMs, records, latestImports })) {
        report.podHours += await computeRange(options, cluster, range, records.get(range.day), withNodes);
        report.ranges += 1;
      }
    } catch (error) {
      report.failedClusters.push(cluster.name);
      options.log.error({ err: error, cluster: cluster.name }, 'cost allocation failed; next pass tries again');
    }
  }
  return report;
}
