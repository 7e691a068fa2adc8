import 'server-only';
import { prometheusClient, type PrometheusClient } from '@/server/prometheus/client';
import Decimal from 'decimal.js';
import type { OpenCostNodePrices } from '../model/node-cost';
import type { NodeHour, PodHour } from '../types';
import { nodeHoursOf } from './node-hours';
import { podHoursOf } from './pod-hours';
import { costQueries, type CostQueryName } from './prometheus-queries';
import { hourMs, samplesByHour, type HourSample } from './prometheus-samples';

/** Prometheus refuses a range answer of more than 11,000 points per series. */
export const maxPointsPerSeries = 11_000;
/** Queries of one range in flight at once: Prometheus evaluates each on its own cores. */
const queryConcurrency = 3;

export interface PrometheusInputsRequest {
  prometheusUrl: string;
  clusterLabel: string;
  cluster: string;
  /** Start of the first hour (a whole UTC hour). */
  fromMs: number;
  /** End of the last hour, exclusive (a whole hour after `fromMs`). */
  toMs: number;
  scrapeIntervalSeconds: number;
  signal?: AbortSignal;
  client?: PrometheusClient;
}

export interface HourInputs {
  hourStart: Date;
  nodes: NodeHour[];
  pods: PodHour[];
  /** OpenCost's price metrics per node, where it runs: the node price when the bill has none. */
  openCostByNode: Map<string, OpenCostNodePrices>;
}

const openCostFields: Record<string, keyof OpenCostNodePrices> = {
  node_total_hourly_cost: 'totalPerHour',
  node_cpu_hourly_cost: 'cpuPerVcpuHour',
  node_ram_hourly_cost: 'ramPerGibHour',
  node_gpu_hourly_cost: 'gpuPerDeviceHour',
};

function openCostByNode(samples: readonly HourSample[]): Map<string, OpenCostNodePrices> {
  const byNode = new Map<string, OpenCostNodePrices>();
  for (const { labels, value } of samples) {
    const field = openCostFields[labels.__name__ ?? ''];
    if (!labels.node || !field || value < 0) continue;
    const prices = byNode.get(labels.node) ?? {
      totalPerHour: null,
      cpuPerVcpuHour: null,
      ramPerGibHour: null,
      gpuPerDeviceHour: null,
    };
    byNode.set(labels.node, { ...prices, [field]: new Decimal(value) });
  }
  return byNode;
}

export interface PrometheusInputs {
  hours: HourInputs[];
  /** Queries sent, for the job's log. */
  queryCount: number;
}

/** Presence is sampled once a minute, or once a scrape when scrapes are rarer. */
function presenceStepSeconds(scrapeIntervalSeconds: number): number {
  return Math.max(60, Math.ceil(scrapeIntervalSeconds));
}

async function inPool<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function assertWholeHours(fromMs: number, toMs: number): void {
  if (fromMs % hourMs !== 0 || toMs % hourMs !== 0 || toMs <= fromMs)
    throw new RangeError(
      `cost inputs need whole hours, got ${new Date(fromMs).toISOString()}–${new Date(toMs).toISOString()}`,
    );
}

/**
 * NodeHour[] and PodHour[] of every hour in [fromMs, toMs) for one cluster: one query_range per
 * figure (16 in all) for every node and pod at once, evaluated at each hour's end over that hour.
 */
export async function prometheusCostInputs(request: PrometheusInputsRequest): Promise<PrometheusInputs> {
  assertWholeHours(request.fromMs, request.toMs);
  const client = request.client ?? prometheusClient(request.prometheusUrl);
  const presenceStep = presenceStepSeconds(request.scrapeIntervalSeconds);
  const queries = costQueries({
    clusterLabel: request.clusterLabel,
    cluster: request.cluster,
    presenceStepSeconds: presenceStep,
  });
  const hours: HourInputs[] = [];
  let queryCount = 0;
  const chunkMs = maxPointsPerSeries * hourMs;
  for (let chunkStart = request.fromMs; chunkStart < request.toMs; chunkStart += chunkMs) {
    const chunkEnd = Math.min(request.toMs, chunkStart + chunkMs);
    const hourCount = (chunkEnd - chunkStart) / hourMs;
    const names = Object.keys(queries) as CostQueryName[];
    const answers = await inPool(names, queryConcurrency, async (name) => {
      const answer = await client.queryRange(
        queries[name],
        { startSeconds: (chunkStart + hourMs) / 1000, endSeconds: chunkEnd / 1000, stepSeconds: hourMs / 1000 },
        { signal: request.signal },
      );
      return samplesByHour(answer.result, chunkStart, hourCount);
    });
    queryCount += names.length;
    const byName = Object.fromEntries(names.map((name, i) => [name, answers[i]!])) as Record<
      CostQueryName,
      HourSample[][]
    >;
    for (let h = 0; h < hourCount; h++) {
      const at = <K extends CostQueryName>(name: K): HourSample[] => byName[name][h]!;
      const hourStart = new Date(chunkStart + h * hourMs);
      const nodes = nodeHoursOf(request.cluster, hourStart, {
        nodeInfo: at('nodeInfo'),
        nodePresent: at('nodePresent'),
        nodeLabels: at('nodeLabels'),
        nodeCapacity: at('nodeCapacity'),
        gpuActivity: at('gpuActivity'),
      });
      const pods = podHoursOf(
        request.cluster,
        nodes,
        {
          podInfo: at('podInfo'),
          podRunning: at('podRunning'),
          podOwner: at('podOwner'),
          replicaSetOwner: at('replicaSetOwner'),
          jobOwner: at('jobOwner'),
          podLabels: at('podLabels'),
          namespaceLabels: at('namespaceLabels'),
          podRequests: at('podRequests'),
          podCpuUsage: at('podCpuUsage'),
          podMemoryUsage: at('podMemoryUsage'),
          gpuActivity: at('gpuActivity'),
        },
        presenceStep / 3600,
      );
      hours.push({ hourStart, nodes, pods, openCostByNode: openCostByNode(at('openCostPrices')) });
    }
  }
  return { hours, queryCount };
}
