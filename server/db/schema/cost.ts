import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

// The allocation job's results (server/cost/job.ts), one cluster-day at a time: a day is deleted
// and written again whole. Money is numeric (exact); quantities are floating point in the units
// their names say. Sized for 30,000 pods × 720 h a month: narrow rows, COPY-loaded, few indexes.

const hour = () => timestamp('hour', { withTimezone: true }).notNull();
const money = (name: string) => numeric(name).notNull();

/** One pod's cost for one hour, by resource, with GPUs on both bases, and the figures charged. */
export const costAllocations = pgTable(
  'cost_allocations',
  {
    hour: hour(),
    cluster: text('cluster').notNull(),
    /** Empty when neither the pod nor its namespace names a team. */
    team: text('team').notNull(),
    namespace: text('namespace').notNull(),
    workloadKind: text('workload_kind').notNull(),
    workloadName: text('workload_name').notNull(),
    pod: text('pod').notNull(),
    node: text('node').notNull(),
    cpuCost: money('cpu_cost'),
    memoryCost: money('memory_cost'),
    gpuReservedCost: money('gpu_reserved_cost'),
    gpuUsedCost: money('gpu_used_cost'),
    /** The parts of cpu and memory cost their usage accounts for: efficiency = used ÷ paid. */
    cpuUsedCost: money('cpu_used_cost'),
    memoryUsedCost: money('memory_used_cost'),
    hoursPresent: real('hours_present').notNull(),
    cpuRequestCores: real('cpu_request_cores').notNull(),
    cpuUsageCores: real('cpu_usage_cores').notNull(),
    memoryRequestBytes: doublePrecision('memory_request_bytes').notNull(),
    memoryUsageBytes: doublePrecision('memory_usage_bytes').notNull(),
    chargedCpuCoreHours: real('charged_cpu_core_hours').notNull(),
    chargedMemoryByteHours: doublePrecision('charged_memory_byte_hours').notNull(),
    chargedGpuDeviceHours: real('charged_gpu_device_hours').notNull(),
    /** The pod's own DCGM engine activity (0–1), when DCGM labels its pod. */
    gpuActivity: real('gpu_activity'),
    /** Where the node's price came from: bill, opencost or price-sheet. */
    costSource: text('cost_source').notNull(),
  },
  (table) => [
    index('cost_allocations_cluster_hour_idx').on(table.cluster, table.hour),
    index('cost_allocations_team_hour_idx').on(table.team, table.hour),
    index('cost_allocations_namespace_hour_idx').on(table.namespace, table.hour),
  ],
);

/** A node-hour's cost as priced, and its split: what reconcile sums against the bill. */
export const costNodeHours = pgTable(
  'cost_node_hours',
  {
    hour: hour(),
    cluster: text('cluster').notNull(),
    node: text('node').notNull(),
    /** The bill's ResourceId for the node (the last part of its providerID), when known. */
    instanceId: text('instance_id'),
    instanceType: text('instance_type'),
    hoursPresent: real('hours_present').notNull(),
    totalCost: money('total_cost'),
    cpuCost: money('cpu_cost'),
    memoryCost: money('memory_cost'),
    gpuCost: money('gpu_cost'),
    currency: text('currency').notNull(),
    costSource: text('cost_source').notNull(),
    /** What no pod was charged (never negative), by resource and on both GPU bases. */
    idleCpuCost: money('idle_cpu_cost'),
    idleMemoryCost: money('idle_memory_cost'),
    idleGpuReservedCost: money('idle_gpu_reserved_cost'),
    idleGpuUsedCost: money('idle_gpu_used_cost'),
    /** The pods' charges exceeded the node's cost and were scaled down to it. */
    scaledDown: boolean('scaled_down').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.cluster, table.hour, table.node] }),
    index('cost_node_hours_hour_idx').on(table.hour),
  ],
);

/** Costs of a cluster that belong to no node: the control plane, and the like, per hour. */
export const costSharedHours = pgTable(
  'cost_shared_hours',
  {
    hour: hour(),
    cluster: text('cluster').notNull(),
    /** What it is, e.g. the bill's service name (`Amazon Elastic Kubernetes Service`). */
    item: text('item').notNull(),
    cost: money('cost'),
    currency: text('currency').notNull(),
  },
  (table) => [primaryKey({ columns: [table.cluster, table.hour, table.item] })],
);

/** What a cluster-day was computed from: a newer bill import for the day makes the job run it again. */
export const costRuns = pgTable(
  'cost_runs',
  {
    cluster: text('cluster').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** Whole hours of the day allocated so far, from its start; 24 when the day is done. */
    hoursComputed: integer('hours_computed').notNull(),
    /** The billing imports whose lines priced the day, ascending. */
    billImportIds: jsonb('bill_import_ids').$type<number[]>().notNull(),
    /** The newest import covering the day when it was computed; a newer one makes the day run again. */
    latestImportId: integer('latest_import_id'),
    nodeHours: integer('node_hours').notNull(),
    podHours: integer('pod_hours').notNull(),
    /** Hours of the day Prometheus had no node for. */
    hoursWithoutMetrics: integer('hours_without_metrics').notNull(),
    durationMs: integer('duration_ms').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.cluster, table.day] })],
);

/** Requests and tokens a serving pod answered in an hour (server/cost/inputs/serving-usage.ts): the divisor of unit cost. */
export const costServingHours = pgTable(
  'cost_serving_hours',
  {
    hour: hour(),
    cluster: text('cluster').notNull(),
    namespace: text('namespace').notNull(),
    pod: text('pod').notNull(),
    /** The source counted: vllm, tgi, triton, knative, http-otel or http. */
    server: text('server').notNull(),
    requests: doublePrecision('requests').notNull(),
    /** Null when the server does not count tokens. */
    promptTokens: doublePrecision('prompt_tokens'),
    generatedTokens: doublePrecision('generated_tokens'),
  },
  (table) => [primaryKey({ columns: [table.cluster, table.hour, table.namespace, table.pod] })],
);
