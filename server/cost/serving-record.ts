import 'server-only';
import type { Database } from '@/server/db/client';
import { replaceServingHours } from '@/server/db/cost-serving';
import type { PrometheusClient } from '@/server/prometheus/client';
import type { LabelMatcher } from '@/server/prometheus/query-builder';
import { servingUsageByPodHour } from './inputs/serving-usage';

/**
 * Reads the requests and tokens of every serving pod-hour of [fromMs, toMs) (whole hours) from
 * Prometheus and replaces those hours of the cluster in cost_serving_hours. Called by the
 * allocation job beside replaceCostHours, for the same hours. Returns the rows written.
 */
export async function recordServingUsage(
  database: Database,
  client: PrometheusClient,
  cluster: string,
  clusterMatchers: LabelMatcher[],
  fromMs: number,
  toMs: number,
): Promise<number> {
  const rows = await servingUsageByPodHour(client, { fromMs, toMs, clusterMatchers });
  return replaceServingHours(database, cluster, fromMs, toMs, rows);
}
