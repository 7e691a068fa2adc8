import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import type { CostDimension } from '@/lib/cost-dimensions';
import { selectRows, type Db } from './client';

// The Cost page's, the CLI's and the allocation API's reads of the allocation job's tables, summed in
// SQL to one row per cluster, namespace and group (and bucket for trends); server/cost/queries.ts
// applies the model's idle and shared rules to these sums. Money comes back as exact numeric text.

export type { CostDimension } from '@/lib/cost-dimensions';

export interface CostReadWindow {
  fromMs: number;
  toMs: number;
  /** Only these clusters; null for all. */
  clusters: readonly string[] | null;
}

/** Σ of pod charges of one cluster, namespace and group; dimension fields not grouped by are ''. */
export interface PodCostSums {
  /** Start of the bucket (ms) in trends; null in totals. */
  bucketMs: number | null;
  cluster: string;
  namespace: string;
  key: string;
  team: string;
  workloadKind: string;
  workloadName: string;
  pod: string;
  cpu: string;
  memory: string;
  gpuReserved: string;
  gpuUsed: string;
  cpuUsed: string;
  memoryUsed: string;
  podHours: number;
  sources: string[];
}

export interface NodeCostSums {
  bucketMs: number | null;
  cluster: string;
  currency: string;
  costSource: string;
  nodeHours: number;
  total: string;
  idleCpu: string;
  idleMemory: string;
  idleGpuReserved: string;
  idleGpuUsed: string;
}

export interface SharedCostSums {
  bucketMs: number | null;
  cluster: string;
  item: string;
  cost: string;
  currency: string;
}

/** Pods without a team are grouped under the model's UNASSIGNED key (model/rollup.ts). */
const unassigned = '__unassigned__';
export const OTHER_KEY = '__other__';

const dims: Record<CostDimension, { columns: string[]; key: string }> = {
  cluster: { columns: [], key: 'cluster' },
  team: { columns: ['team'], key: `coalesce(nullif(team, ''), '${unassigned}')` },
  namespace: { columns: [], key: 'namespace' },
  workload: {
    columns: ['workload_kind', 'workload_name'],
    key: `cluster || '/' || namespace || '/' || workload_kind || '/' || workload_name`,
  },
  pod: { columns: ['workload_kind', 'workload_name', 'pod'], key: `cluster || '/' || namespace || '/' || pod` },
};

/** `expression in (values…)`, each value a parameter; false for no values. */
function isIn(expression: SQL, values: readonly string[]): SQL {
  if (values.length === 0) return sql`false`;
  return sql`${expression} in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

function inWindow(window: CostReadWindow, table = ''): SQL {
  const from = new Date(window.fromMs).toISOString();
  const to = new Date(window.toMs).toISOString();
  const t = sql.raw(table ? `${table}.` : '');
  const clusters = window.clusters === null ? sql`` : sql` and ${isIn(sql`${t}cluster`, window.clusters)}`;
  return sql`${t}hour >= ${from}::timestamptz and ${t}hour < ${to}::timestamptz${clusters}`;
}

export type CostBucket = 'hour' | 'day' | null;

function bucketColumn(bucket: CostBucket): SQL {
  if (bucket === null) return sql`null::float8`;
  return sql`(extract(epoch from date_trunc(${bucket}, hour, 'UTC')) * 1000)::float8`;
}

const podSums = sql.raw(`sum(cpu_cost)::text as cpu, sum(memory_cost)::text as memory,
  sum(gpu_reserved_cost)::text as "gpuReserved", sum(gpu_used_cost)::text as "gpuUsed",
  sum(cpu_used_cost)::text as "cpuUsed", sum(memory_used_cost)::text as "memoryUsed",
  sum(hours_present)::float8 as "podHours", array_agg(distinct cost_source) as sources`);

/**
 * Pod charges summed per cluster, namespace and group of `by` (per bucket when `bucket` is set).
 * With `keepKeys`, groups outside it are summed under OTHER_KEY (a trend's top groups and the rest).
 */
export async function podCostSums(
  db: Db,
  window: CostReadWindow,
  by: CostDimension,
  bucket: CostBucket = null,
  keepKeys: readonly string[] | null = null,
): Promise<PodCostSums[]> {
  const dim = dims[by];
  const key =
    keepKeys === null
      ? sql.raw(dim.key)
      : sql`case when ${isIn(sql.raw(dim.key), keepKeys)} then ${sql.raw(dim.key)} else ${OTHER_KEY} end`;
  const columns = keepKeys === null ? dim.columns : [];
  const grouped = sql.raw(['cluster', 'namespace', ...columns].join(', '));
  const column = (name: string, as: string): string =>
    columns.includes(name) ? `${name} as "${as}"` : `'' as "${as}"`;
  const dimColumns = sql.raw(
    [
      column('team', 'team'),
      column('workload_kind', 'workloadKind'),
      column('workload_name', 'workloadName'),
      column('pod', 'pod'),
    ].join(', '),
  );
  return selectRows<PodCostSums>(
    db,
    sql`select ${bucketColumn(bucket)} as "bucketMs", cluster, namespace, ${key} as key, ${dimColumns}, ${podSums}
      from cost_allocations where ${inWindow(window)}
      group by 1, cluster, namespace, 4${columns.length > 0 ? sql`, ${grouped}` : sql``}`,
  );
}

/** Node-hours' cost and idle per cluster, currency and price source (per bucket when `bucket` is set). */
export async function nodeCostSums(db: Db, window: CostReadWindow, bucket: CostBucket = null): Promise<NodeCostSums[]> {
  return selectRows<NodeCostSums>(
    db,
    sql`select ${bucketColumn(bucket)} as "bucketMs", cluster, currency, cost_source as "costSource",
        sum(hours_present)::float8 as "nodeHours", sum(total_cost)::text as total,
        sum(idle_cpu_cost)::text as "idleCpu", sum(idle_memory_cost)::text as "idleMemory",
        sum(idle_gpu_reserved_cost)::text as "idleGpuReserved", sum(idle_gpu_used_cost)::text as "idleGpuUsed"
      from cost_node_hours where ${inWindow(window)}
      group by 1, cluster, currency, cost_source`,
  );
}

/** The cluster's costs no node carries (control plane, volumes…), per item (per bucket when `bucket` is set). */
export async function sharedCostSums(
  db: Db,
  window: CostReadWindow,
  bucket: CostBucket = null,
): Promise<SharedCostSums[]> {
  return selectRows<SharedCostSums>(
    db,
    sql`select ${bucketColumn(bucket)} as "bucketMs", cluster, item, sum(cost)::text as cost, min(currency) as currency
      from cost_shared_hours where ${inWindow(window)}
      group by 1, cluster, item`,
  );
}

export interface ServingUsageSums {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  servers: string[];
  requests: number;
  /** Null when no pod of the workload counts tokens. */
  promptTokens: number | null;
  generatedTokens: number | null;
}

/** Requests and tokens per serving workload over the window (pods mapped to workloads by their allocations). */
export async function servingUsageSums(db: Db, window: CostReadWindow): Promise<ServingUsageSums[]> {
  return selectRows<ServingUsageSums>(
    db,
    sql`with w as (
        select distinct cluster, namespace, pod, workload_kind, workload_name from cost_allocations where ${inWindow(window)}
      )
      select s.cluster, s.namespace, w.workload_kind as "workloadKind", w.workload_name as "workloadName",
        array_agg(distinct s.server) as servers, sum(s.requests)::float8 as requests,
        sum(s.prompt_tokens)::float8 as "promptTokens", sum(s.generated_tokens)::float8 as "generatedTokens"
      from cost_serving_hours s join w on w.cluster = s.cluster and w.namespace = s.namespace and w.pod = s.pod
      where ${inWindow(window, 's')}
      group by s.cluster, s.namespace, w.workload_kind, w.workload_name`,
  );
}

export interface CostRunDay {
  cluster: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  hoursComputed: number;
  hoursWithoutMetrics: number;
}

/** The allocation job's record of each cluster-day overlapping the window. */
export async function costRunDays(db: Db, window: CostReadWindow): Promise<CostRunDay[]> {
  const from = new Date(window.fromMs).toISOString();
  const to = new Date(window.toMs).toISOString();
  const clusters = window.clusters === null ? sql`` : sql` and ${isIn(sql`cluster`, window.clusters)}`;
  return selectRows<CostRunDay>(
    db,
    sql`select cluster, to_char(day, 'YYYY-MM-DD') as day, hours_computed as "hoursComputed",
        hours_without_metrics as "hoursWithoutMetrics"
      from cost_runs
      where day >= (${from}::timestamptz at time zone 'UTC')::date and day < ${to}::timestamptz at time zone 'UTC'${clusters}
      order by day, cluster`,
  );
}

/** The bill's instance ids of each cluster's nodes in the window. */
export async function nodeInstanceIds(db: Db, window: CostReadWindow): Promise<Map<string, string[]>> {
  const rows = await selectRows<{ cluster: string; ids: string[] }>(
    db,
    sql`select cluster, array_agg(distinct instance_id) as ids from cost_node_hours
      where ${inWindow(window)} and instance_id is not null group by cluster`,
  );
  return new Map(rows.map((r) => [r.cluster, r.ids]));
}

/** How many distinct hours of the window have node costs: the hours a monthly figure scales from. */
export async function coveredHours(db: Db, window: CostReadWindow): Promise<number> {
  const rows = await selectRows<{ hours: number }>(
    db,
    sql`select count(distinct hour)::int as hours from cost_node_hours where ${inWindow(window)}`,
  );
  return rows[0]?.hours ?? 0;
}
