import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
// The line table and CSV downloads: raw lines, keyset-paged (the explorer reads rollups only).
import { billingFilterSql, billingFiltersSchema, type BillingFilters } from './billing-explorer';
import type { Db } from './client';

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export interface BillingLine {
  importId: number;
  lineNumber: number;
  chargePeriodStart: string;
  chargePeriodEnd: string;
  providerName: string;
  billingAccountId: string;
  subAccountId: string | null;
  serviceName: string;
  serviceCategory: string | null;
  regionId: string | null;
  resourceId: string | null;
  chargeCategory: string;
  chargeDescription: string | null;
  billingCurrency: string;
  billedCost: string;
  effectiveCost: string;
  listCost: string;
  tags: Record<string, unknown> | null;
  extra: Record<string, unknown> | null;
}

const LINE_COLUMNS = sql.raw(`import_id as "importId", line_number as "lineNumber",
  to_char(charge_period_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "chargePeriodStart",
  to_char(charge_period_end at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "chargePeriodEnd",
  provider_name as "providerName", billing_account_id as "billingAccountId", sub_account_id as "subAccountId",
  service_name as "serviceName", service_category as "serviceCategory", region_id as "regionId", resource_id as "resourceId",
  charge_category as "chargeCategory", charge_description as "chargeDescription", billing_currency as "billingCurrency",
  billed_cost::text as "billedCost", effective_cost::text as "effectiveCost", list_cost::text as "listCost", tags, extra`);

/** Keyset position of a line: `<import id>:<line number>`, opaque to callers. */
const INT4_MAX = 2_147_483_647;
export const lineCursorSchema = z
  .string()
  .regex(/^\d{1,10}:\d{1,10}$/, 'expected <import>:<line>')
  .refine((cursor) => cursor.split(':').every((part) => Number(part) <= INT4_MAX), 'cursor out of range');

/** Newest lines first (newest import, last line first), keyset-paged: pass the previous page's `nextCursor`. */
export async function listBillingLines(
  db: Db,
  filters: BillingFilters,
  cursor: string | null,
  limit: number,
): Promise<{ lines: BillingLine[]; nextCursor: string | null }> {
  const parsed = billingFiltersSchema.parse(filters);
  const pageSize = Math.min(Math.max(1, Math.floor(limit)), 1000);
  const [importId, lineNumber] = cursor === null ? [] : lineCursorSchema.parse(cursor).split(':').map(Number);
  const after = cursor === null ? sql`` : sql` and (import_id, line_number) < (${importId}, ${lineNumber})`;
  const lines = await rows<BillingLine>(
    db,
    sql`select ${LINE_COLUMNS} from billing_lines where ${billingFilterSql(parsed, 'lines')}${after} order by import_id desc, line_number desc limit ${pageSize}`,
  );
  const last = lines.at(-1);
  return { lines, nextCursor: lines.length === pageSize && last ? `${last.importId}:${last.lineNumber}` : null };
}

/** Every line under the filters, newest first, a page at a time (for CSV downloads). */
export async function* iterateBillingLines(
  db: Db,
  filters: BillingFilters,
  pageSize = 1000,
): AsyncGenerator<BillingLine[]> {
  let cursor: string | null = null;
  do {
    const page = await listBillingLines(db, filters, cursor, pageSize);
    if (page.lines.length > 0) yield page.lines;
    cursor = page.nextCursor;
  } while (cursor !== null);
}
