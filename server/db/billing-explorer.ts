import 'server-only';
import Decimal from 'decimal.js';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './client';

const DIMENSION_COLUMNS = {
  provider: 'provider_name',
  billingAccount: 'billing_account_id',
  subAccount: 'sub_account_id',
  service: 'service_name',
  serviceCategory: 'service_category',
  region: 'region_id',
  chargeCategory: 'charge_category',
  currency: 'billing_currency',
  resource: 'resource_id',
} as const;

export type BillingDimension = keyof typeof DIMENSION_COLUMNS | `tag:${string}`;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const values = z.array(z.string().max(2048)).max(500).optional();
const dimension = z.union([
  z.enum(Object.keys(DIMENSION_COLUMNS) as [keyof typeof DIMENSION_COLUMNS]),
  z.string().regex(/^tag:.{1,200}$/) as z.ZodType<`tag:${string}`>,
]);

/** Filters shared by the explorer, the line table and the CSV export; `from` inclusive, `to` exclusive (UTC days). */
export const billingFiltersSchema = z.object({
  from: day,
  to: day,
  provider: values,
  billingAccount: values,
  subAccount: values,
  service: values,
  serviceCategory: values,
  region: values,
  chargeCategory: values,
  currency: values,
  resource: values,
  /** Tag key → accepted values; only tag keys kept in rollups can be filtered in the explorer. */
  tags: z.record(z.string().max(200), z.array(z.string().max(2048)).max(500)).optional(),
});
export type BillingFilters = z.infer<typeof billingFiltersSchema>;

export const billingExplorerInputSchema = z.object({
  filters: billingFiltersSchema,
  groupBy: dimension.nullable().default(null),
  granularity: z.enum(['day', 'month']).default('day'),
  /** Groups past this many (by EffectiveCost) are summed as "(other)" in the series. */
  topGroups: z.number().int().min(1).max(100).default(10),
});
export type BillingExplorerInput = z.input<typeof billingExplorerInputSchema>;

/** Money as exact decimal strings. Savings = ListCost − EffectiveCost (commitments and discounts). */
export interface MoneyTotals {
  currency: string;
  billedCost: string;
  effectiveCost: string;
  listCost: string;
  savings: string;
}

export interface BillingExplorerResult {
  totals: MoneyTotals[];
  /** One point per period, group and currency; group is null without groupBy. */
  series: (MoneyTotals & { period: string; group: string | null })[];
  groups: (MoneyTotals & { group: string; lineCount: number })[];
  source: 'billing_daily_rollups' | 'billing_monthly_rollups' | 'billing_daily_resource_rollups';
}

export const OTHER_GROUP = '(other)';

function dimensionSql(dim: BillingDimension, tagsColumn: string): SQL {
  if (dim.startsWith('tag:')) return sql`coalesce(${sql.raw(tagsColumn)}->>${dim.slice(4)}, '')`;
  return sql.raw(DIMENSION_COLUMNS[dim as keyof typeof DIMENSION_COLUMNS]);
}

/** WHERE clause over rollups (`day` column) or lines (`charge_period_start`). */
export function billingFilterSql(filters: BillingFilters, target: 'rollups' | 'lines'): SQL {
  const clauses: SQL[] =
    target === 'rollups'
      ? [sql`day >= ${filters.from}::date`, sql`day < ${filters.to}::date`]
      : [
          sql`charge_period_start >= ${filters.from}::timestamptz`,
          sql`charge_period_start < ${filters.to}::timestamptz`,
        ];
  for (const [key, column] of Object.entries(DIMENSION_COLUMNS)) {
    const accepted = filters[key as keyof typeof DIMENSION_COLUMNS];
    if (!accepted || accepted.length === 0) continue;
    // Rollups store a missing dimension as '': lines are compared the same way.
    const expression = target === 'rollups' ? sql.raw(column) : sql.raw(`coalesce(${column}, '')`);
    clauses.push(
      sql`${expression} in (${sql.join(
        accepted.map((v) => sql`${v}`),
        sql`, `,
      )})`,
    );
  }
  for (const [key, accepted] of Object.entries(filters.tags ?? {})) {
    if (accepted.length === 0) continue;
    clauses.push(
      sql`tags->>${key} in (${sql.join(
        accepted.map((v) => sql`${v}`),
        sql`, `,
      )})`,
    );
  }
  return sql.join(clauses, sql` and `);
}

const MONEY = sql`sum(billed_cost)::text as billed, sum(effective_cost)::text as effective, sum(list_cost)::text as list, (sum(list_cost) - sum(effective_cost))::text as savings`;

type MoneyRow = { currency: string; billed: string; effective: string; list: string; savings: string };
function money(row: MoneyRow): MoneyTotals {
  return {
    currency: row.currency,
    billedCost: row.billed,
    effectiveCost: row.effective,
    listCost: row.list,
    savings: row.savings,
  };
}

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

function monthAligned(day: string): boolean {
  return day.endsWith('-01');
}

/** Exact per-currency sums of rows already summed by the database (decimal.js, never floats). */
function sumByCurrency(items: MoneyTotals[]): MoneyTotals[] {
  const sums = new Map<string, DecimalSums>();
  for (const item of items) {
    const sum = sums.get(item.currency) ?? zeroSums();
    addSums(sum, {
      currency: item.currency,
      billed: item.billedCost,
      effective: item.effectiveCost,
      list: item.listCost,
      savings: item.savings,
    });
    sums.set(item.currency, sum);
  }
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, s]) => moneyOf(currency, s));
}

/** Totals, time series and groups for the explorer, read from rollups only (never raw lines). */
export async function queryBillingExplorer(db: Db, input: BillingExplorerInput): Promise<BillingExplorerResult> {
  const { filters, groupBy, granularity, topGroups } = billingExplorerInputSchema.parse(input);
  const byResource = groupBy === 'resource' || (filters.resource?.length ?? 0) > 0;
  const byMonth = !byResource && granularity === 'month' && monthAligned(filters.from) && monthAligned(filters.to);
  const source = byResource
    ? 'billing_daily_resource_rollups'
    : byMonth
      ? 'billing_monthly_rollups'
      : 'billing_daily_rollups';
  const table = sql.raw(source);
  const where = billingFilterSql(filters, 'rollups');
  // Group on the date itself and format the few resulting periods here.
  const period = granularity === 'month' && !byMonth ? sql`date_trunc('month', day)::date` : sql`day`;
  const label = (value: unknown): string => String(value).slice(0, granularity === 'month' ? 7 : 10);
  if (!groupBy) {
    const series = await rows<MoneyRow & { period: unknown }>(
      db,
      sql`select (${period})::text as period, billing_currency as currency, ${MONEY} from ${table} where ${where} group by ${period}, 2 order by ${period}, 2`,
    );
    const points = series.map((r) => ({ ...money(r), period: label(r.period), group: null }));
    return { totals: sumByCurrency(points), series: points, groups: [], source };
  }
  const key = dimensionSql(groupBy, 'tags');
  if (groupBy === 'resource') return resourceGroups(db, { table, where, key, period, label, topGroups, source });
  // One scan of the rollups, grouped by period and group; the group totals, the top N and the
  // folded "(other)" series are summed here, exactly (a second scan cost as much as the first).
  const cells = await rows<MoneyRow & { period: unknown; grp: string; lines: number | string }>(
    db,
    sql`select (${period})::text as period, ${key} as grp, billing_currency as currency, ${MONEY}, sum(line_count)::bigint as lines
        from ${table} where ${where} group by ${period}, 2, 3`,
  );
  const groups = new Map<string, DecimalSums & { group: string; currency: string; lineCount: number }>();
  for (const cell of cells) {
    const id = `${cell.currency}\u0000${cell.grp}`;
    const sums = groups.get(id) ?? { ...zeroSums(), group: cell.grp, currency: cell.currency, lineCount: 0 };
    addSums(sums, cell);
    sums.lineCount += Number(cell.lines);
    groups.set(id, sums);
  }
  const ranked = [...groups.values()].sort(
    (a, b) => b.effective.comparedTo(a.effective) || compareText(a.group, b.group),
  );
  const top = new Set([...new Set(ranked.map((g) => g.group))].slice(0, topGroups));
  const folded = new Map<string, DecimalSums & { period: string; group: string; currency: string }>();
  for (const cell of cells) {
    const group = top.has(cell.grp) ? cell.grp : OTHER_GROUP;
    const period = label(cell.period);
    const id = `${period}\u0000${group}\u0000${cell.currency}`;
    const sums = folded.get(id) ?? { ...zeroSums(), period, group, currency: cell.currency };
    addSums(sums, cell);
    folded.set(id, sums);
  }
  const series = [...folded.values()]
    .sort(
      (a, b) => compareText(a.period, b.period) || compareText(a.group, b.group) || compareText(a.currency, b.currency),
    )
    .map((s) => ({ ...moneyOf(s.currency, s), period: s.period, group: s.group }));
  const groupRows = ranked.map((g) => ({ ...moneyOf(g.currency, g), group: g.group, lineCount: g.lineCount }));
  return { totals: sumByCurrency(groupRows), series, groups: groupRows, source };
}

/**
 * Grouping by resource: thousands of resources × days would be millions of cells to fold in Node,
 * so the database ranks the groups first and folds the rest into "(other)" (two scans).
 */
async function resourceGroups(
  db: Db,
  q: {
    table: SQL;
    where: SQL;
    key: SQL;
    period: SQL;
    label: (value: unknown) => string;
    topGroups: number;
    source: BillingExplorerResult['source'];
  },
): Promise<BillingExplorerResult> {
  const groups = await rows<MoneyRow & { grp: string; lines: number | string }>(
    db,
    sql`select ${q.key} as grp, billing_currency as currency, ${MONEY}, sum(line_count)::bigint as lines
        from ${q.table} where ${q.where} group by 1, 2 order by sum(effective_cost) desc, 1`,
  );
  const top = [...new Set(groups.map((g) => g.grp))].slice(0, q.topGroups);
  const seriesKey =
    top.length === 0
      ? sql`${OTHER_GROUP}`
      : sql`case when ${q.key} in (${sql.join(
          top.map((g) => sql`${g}`),
          sql`, `,
        )}) then ${q.key} else ${OTHER_GROUP} end`;
  const series = await rows<MoneyRow & { period: unknown; grp: string }>(
    db,
    sql`select (${q.period})::text as period, ${seriesKey} as grp, billing_currency as currency, ${MONEY} from ${q.table} where ${q.where} group by ${q.period}, 2, 3 order by ${q.period}, 2, 3`,
  );
  const groupRows = groups.map((g) => ({ ...money(g), group: g.grp, lineCount: Number(g.lines) }));
  return {
    totals: sumByCurrency(groupRows),
    series: series.map((r) => ({ ...money(r), period: q.label(r.period), group: r.grp })),
    groups: groupRows,
    source: q.source,
  };
}

interface DecimalSums {
  billed: Decimal;
  effective: Decimal;
  list: Decimal;
}

function zeroSums(): DecimalSums {
  return { billed: new Decimal(0), effective: new Decimal(0), list: new Decimal(0) };
}

function addSums(sums: DecimalSums, row: MoneyRow): void {
  sums.billed = sums.billed.plus(row.billed);
  sums.effective = sums.effective.plus(row.effective);
  sums.list = sums.list.plus(row.list);
}

function moneyOf(currency: string, sums: DecimalSums): MoneyTotals {
  return {
    currency,
    billedCost: sums.billed.toFixed(),
    effectiveCost: sums.effective.toFixed(),
    listCost: sums.list.toFixed(),
    savings: sums.list.minus(sums.effective).toFixed(),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
