import 'server-only';
import { sql } from 'drizzle-orm';
import type { NodeHourAllocation } from '@/server/cost/types';
import { escapeCopyText } from '@/server/billing/copy-layout';
import { withBulkTransaction, type BulkTransaction } from './billing-copy';
import { selectRows, type Database, type Db } from './client';

// The allocation job's writes and its bookkeeping reads. A range of hours is replaced whole, in one
// transaction: its rows deleted, the new ones loaded with COPY (the large profile writes ~30,000
// pod rows an hour).

export interface SharedHourCost {
  hourStart: Date;
  item: string;
  cost: string;
  currency: string;
}

export interface CostRun {
  cluster: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  hoursComputed: number;
  billImportIds: number[];
  latestImportId: number | null;
  nodeHours: number;
  podHours: number;
  hoursWithoutMetrics: number;
  durationMs: number;
}

export interface CostHoursWrite {
  cluster: string;
  /** The hours replaced: [fromMs, toMs), whole hours within `run.day`. */
  fromMs: number;
  toMs: number;
  allocations: NodeHourAllocation[];
  shared: SharedHourCost[];
  /** The day's record after this write. */
  run: CostRun;
}

const copyBatchBytes = 1 << 20;

function field(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite quantity: ${value}`);
    return String(value);
  }
  return typeof value === 'boolean' ? String(value) : escapeCopyText(value);
}

async function copyRows(
  tx: BulkTransaction,
  target: string,
  rows: Iterable<(string | number | boolean | null)[]>,
): Promise<number> {
  const copy = tx.copyIn(target);
  let chunk = '';
  for (const row of rows) {
    chunk += `${row.map(field).join('\t')}\n`;
    if (chunk.length >= copyBatchBytes) {
      await copy.write(Buffer.from(chunk));
      chunk = '';
    }
  }
  if (chunk) await copy.write(Buffer.from(chunk));
  return copy.end();
}

function* podRows(cluster: string, allocations: NodeHourAllocation[]): Generator<(string | number | null)[]> {
  for (const a of allocations) {
    const hour = a.node.hourStart.toISOString();
    for (const p of a.pods) {
      const pod = p.pod;
      yield [
        hour,
        cluster,
        pod.team ?? '',
        pod.namespace,
        pod.workloadKind,
        pod.workloadName,
        pod.pod,
        pod.node,
        p.cpu.toFixed(),
        p.memory.toFixed(),
        p.gpuReserved.toFixed(),
        p.gpuUsed.toFixed(),
        p.cpuUsed.toFixed(),
        p.memoryUsed.toFixed(),
        pod.hoursPresent,
        pod.cpuRequestCores,
        pod.cpuUsageCores,
        pod.memoryRequestBytes,
        pod.memoryUsageBytes,
        p.chargedCpuCoreHours,
        p.chargedMemoryByteHours,
        p.chargedGpuDeviceHours,
        pod.gpuActivity,
        a.cost.source,
      ];
    }
  }
}

const allocationColumns = `cost_allocations (hour, cluster, team, namespace, workload_kind, workload_name, pod, node,
  cpu_cost, memory_cost, gpu_reserved_cost, gpu_used_cost, cpu_used_cost, memory_used_cost, hours_present, cpu_request_cores, cpu_usage_cores,
  memory_request_bytes, memory_usage_bytes, charged_cpu_core_hours, charged_memory_byte_hours,
  charged_gpu_device_hours, gpu_activity, cost_source)`;

const nodeColumns = `cost_node_hours (hour, cluster, node, instance_id, instance_type, hours_present, total_cost,
  cpu_cost, memory_cost, gpu_cost, currency, cost_source, idle_cpu_cost, idle_memory_cost, idle_gpu_reserved_cost,
  idle_gpu_used_cost, scaled_down)`;

/** Replaces the hours [fromMs, toMs) of a cluster: allocations, node-hours with idle, shared costs, and the day's record. */
export async function replaceCostHours(database: Database, write: CostHoursWrite): Promise<{ podRows: number }> {
  const { cluster, run } = write;
  const from = new Date(write.fromMs).toISOString();
  const to = new Date(write.toMs).toISOString();
  return withBulkTransaction(database, async (tx) => {
    for (const table of ['cost_allocations', 'cost_node_hours', 'cost_shared_hours']) {
      await tx.query(`delete from ${table} where cluster = $1 and hour >= $2 and hour < $3`, [cluster, from, to]);
    }
    const podRowCount = await copyRows(tx, allocationColumns, podRows(cluster, write.allocations));
    await copyRows(
      tx,
      nodeColumns,
      write.allocations.map((a) => [
        a.node.hourStart.toISOString(),
        cluster,
        a.node.node,
        a.node.providerId?.split('/').at(-1) ?? null,
        a.node.instanceType,
        a.node.hoursPresent,
        ...[a.cost.total, a.cost.cpu, a.cost.memory, a.cost.gpu].map((d) => d.toFixed()),
        a.cost.currency,
        a.cost.source,
        ...[a.idle.cpu, a.idle.memory, a.idle.gpuReserved, a.idle.gpuUsed].map((d) => d.toFixed()),
        a.scaledDown,
      ]),
    );
    await copyRows(
      tx,
      'cost_shared_hours (hour, cluster, item, cost, currency)',
      write.shared.map((s) => [s.hourStart.toISOString(), cluster, s.item, s.cost, s.currency]),
    );
    await tx.query(
      `insert into cost_runs (cluster, day, hours_computed, bill_import_ids, latest_import_id, node_hours, pod_hours,
         hours_without_metrics, duration_ms, computed_at)
       values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, now())
       on conflict (cluster, day) do update set hours_computed = excluded.hours_computed,
         bill_import_ids = excluded.bill_import_ids, latest_import_id = excluded.latest_import_id,
         node_hours = excluded.node_hours, pod_hours = excluded.pod_hours,
         hours_without_metrics = excluded.hours_without_metrics, duration_ms = excluded.duration_ms, computed_at = now()`,
      [
        cluster,
        run.day,
        run.hoursComputed,
        JSON.stringify(run.billImportIds),
        run.latestImportId,
        run.nodeHours,
        run.podHours,
        run.hoursWithoutMetrics,
        Math.round(run.durationMs),
      ],
    );
    return { podRows: podRowCount };
  });
}

/** The records of a cluster's days in [fromDay, toDay] (YYYY-MM-DD). */
export async function costRunsOf(
  db: Db,
  cluster: string,
  fromDay: string,
  toDay: string,
): Promise<Map<string, CostRun>> {
  const runs = await selectRows<CostRun>(
    db,
    sql`select cluster, to_char(day, 'YYYY-MM-DD') as day, hours_computed as "hoursComputed",
      bill_import_ids as "billImportIds", latest_import_id as "latestImportId", node_hours as "nodeHours",
      pod_hours as "podHours", hours_without_metrics as "hoursWithoutMetrics", duration_ms as "durationMs"
      from cost_runs where cluster = ${cluster} and day between ${fromDay}::date and ${toDay}::date`,
  );
  return new Map(runs.map((r) => [r.day, r]));
}

/** The newest billing import whose charge period overlaps each day of [fromDay, toDay]. */
export async function latestImportByDay(db: Db, fromDay: string, toDay: string): Promise<Map<string, number>> {
  const rows = await selectRows<{ day: string; id: number }>(
    db,
    sql`select to_char(d, 'YYYY-MM-DD') as day, max(i.id)::int as id
      from generate_series(${fromDay}::date, ${toDay}::date, interval '1 day') as d
      join billing_imports i on i.charge_period_start < d + interval '1 day' and i.charge_period_end > d
      group by d`,
  );
  return new Map(rows.map((r) => [r.day, r.id]));
}

/** A cluster-day's totals as written: what reconcile sets against the bill (money as exact decimal text). */
export interface CostDayTotals {
  cluster: string;
  day: string;
  /** Σ pods' cpu + memory + GPU by reservation. */
  allocated: string;
  /** Σ node-hours' idle on the same basis. */
  idle: string;
  /** Σ node-hours' cost as priced. */
  nodeCost: string;
  shared: string;
  /** Hours with node rows, and pod rows. */
  hours: number;
  podRows: number;
  costSources: string[];
}

export async function costDayTotals(db: Db, fromDay: string, toDay: string): Promise<CostDayTotals[]> {
  const range = sql`hour >= ${fromDay}::date and hour < ${toDay}::date + 1`;
  return selectRows<CostDayTotals>(
    db,
    sql`with a as (
      select cluster, (hour at time zone 'UTC')::date as day, sum(cpu_cost + memory_cost + gpu_reserved_cost) as allocated,
        count(*)::int as pod_rows, array_agg(distinct cost_source) as sources
      from cost_allocations where ${range} group by 1, 2
    ), n as (
      select cluster, (hour at time zone 'UTC')::date as day, count(distinct hour)::int as hours,
        sum(idle_cpu_cost + idle_memory_cost + idle_gpu_reserved_cost) as idle, sum(total_cost) as node_cost
      from cost_node_hours where ${range} group by 1, 2
    ), s as (
      select cluster, (hour at time zone 'UTC')::date as day, sum(cost) as shared
      from cost_shared_hours where ${range} group by 1, 2
    )
    select n.cluster, to_char(n.day, 'YYYY-MM-DD') as day, coalesce(a.allocated, 0)::text as allocated,
      n.idle::text as idle, n.node_cost::text as "nodeCost", coalesce(s.shared, 0)::text as shared, n.hours,
      coalesce(a.pod_rows, 0) as "podRows", coalesce(a.sources, '{}') as "costSources"
    from n left join a using (cluster, day) left join s using (cluster, day) order by 1, 2`,
  );
}
