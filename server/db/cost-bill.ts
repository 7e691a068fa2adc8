import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from './client';

// The bill lines the allocation job prices a cluster with: its nodes' instance lines, and the other
// lines tagged with the cluster. Where several imports hold lines of one resource for the window
// (a month exported again), the newest import's lines are the bill.

/** A line's charge period and cost; money as the database's exact decimal text. */
export interface BillLineSpan {
  importId: number;
  resourceId: string | null;
  resourceType: string | null;
  serviceName: string;
  startMs: number;
  endMs: number;
  effectiveCost: string;
  currency: string;
}

/** Tag keys that name a line's Kubernetes cluster. */
export const clusterTagKeys = ['eks:cluster-name'] as const;

// billing_lines is partitioned by the month of ChargePeriodStart: a line overlapping the window
// started at most a month (its longest charge period) before it.
const longestChargePeriod = sql.raw(`interval '32 days'`);

function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const spanColumns = sql.raw(`l.import_id as "importId", l.resource_id as "resourceId",
  l.resource_type as "resourceType", l.service_name as "serviceName",
  (extract(epoch from l.charge_period_start) * 1000)::float8 as "startMs",
  (extract(epoch from l.charge_period_end) * 1000)::float8 as "endMs",
  l.effective_cost::text as "effectiveCost", l.billing_currency as currency`);

function overlapping(fromMs: number, toMs: number): SQL {
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  return sql`charge_period_start < ${to}::timestamptz and charge_period_end > ${from}::timestamptz
    and charge_period_start >= ${from}::timestamptz - ${longestChargePeriod}`;
}

/** Lines of `where` in the window, of the newest import per resource (per service for lines without one). */
async function newestLines(db: Db, where: SQL, fromMs: number, toMs: number): Promise<BillLineSpan[]> {
  return selectRows<BillLineSpan>(
    db,
    sql`with l as (
      select import_id, resource_id, resource_type, service_name, charge_period_start, charge_period_end,
        effective_cost, billing_currency, coalesce(resource_id, service_name) as item
      from billing_lines where ${where} and ${overlapping(fromMs, toMs)}
    ), newest as (select item, max(import_id) as import_id from l group by item)
    select ${spanColumns} from l join newest n on n.item = l.item and n.import_id = l.import_id
    order by l.charge_period_start`,
  );
}

/** The instance lines of these resource ids (the nodes' instance ids) overlapping [fromMs, toMs). */
export async function nodeBillLines(
  db: Db,
  instanceIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<BillLineSpan[]> {
  if (instanceIds.length === 0) return [];
  return newestLines(db, sql`resource_id = any(${textArray(instanceIds)}::text[])`, fromMs, toMs);
}

/** Lines tagged with the cluster that are not the instance lines of these nodes: control plane, volumes, transfer, unmatched instances. */
export async function clusterOtherBillLines(
  db: Db,
  cluster: string,
  nodeInstanceIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<BillLineSpan[]> {
  const tagged = sql.join(
    clusterTagKeys.map((key) => sql`tags ->> ${key} = ${cluster}`),
    sql` or `,
  );
  const notNodes = sql`(resource_id is null or not (resource_id = any(${textArray(nodeInstanceIds)}::text[])))`;
  return newestLines(db, sql`(${tagged}) and ${notNodes}`, fromMs, toMs);
}
