import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Totals of one import per billing currency, as exact decimal strings. */
export type CurrencyTotals = Record<string, { billedCost: string; effectiveCost: string; listCost: string }>;

/** One committed FOCUS file import; failed imports leave no row (all or nothing). */
export const billingImports = pgTable(
  'billing_imports',
  {
    id: serial('id').primaryKey(),
    contentSha256: text('content_sha256').notNull(),
    fileName: text('file_name').notNull(),
    format: text('format', { enum: ['csv', 'csv.gz', 'parquet'] }).notNull(),
    focusVersion: text('focus_version').notNull(),
    rowCount: integer('row_count').notNull(),
    bytes: integer('bytes').notNull(),
    totals: jsonb('totals').$type<CurrencyTotals>().notNull(),
    chargePeriodStart: timestamp('charge_period_start', { withTimezone: true }),
    chargePeriodEnd: timestamp('charge_period_end', { withTimezone: true }),
    durationMs: integer('duration_ms').notNull(),
    actor: text('actor').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('billing_imports_sha256_idx').on(table.contentSha256)],
);

const money = (name: string) => numeric(name);

/** Numeric columns that must hold a finite number (numeric also takes NaN and ±Infinity). */
const FINITE_COLUMNS = [
  'billed_cost',
  'effective_cost',
  'list_cost',
  'contracted_cost',
  'pricing_quantity',
  'consumed_quantity',
  'list_unit_price',
  'contracted_unit_price',
];
const OBJECT_COLUMNS = ['tags', 'allocated_tags', 'contract_applied'];

/**
 * Raw FOCUS lines mapped onto one schema for versions 1.0 to 1.3; unmapped columns live in `extra`.
 * Partitioned by month of ChargePeriodStart (drizzle/0009 by hand; drizzle-kit cannot say PARTITION BY):
 * one partition per month present, created by the import (server/db/billing-partitions.ts).
 * The FOCUS rules are the table's checks: COPY applies them once, as it converts each value.
 */
export const billingLines = pgTable(
  'billing_lines',
  {
    // No foreign key: checking it costs a trigger call per line on the bulk path; rollups keep theirs.
    importId: integer('import_id').notNull(),
    /** The file's physical line (the header is line 1; a quoted newline starts a new line), or the Parquet row. */
    lineNumber: integer('line_number').notNull(),
    billingAccountId: text('billing_account_id').notNull(),
    billingAccountName: text('billing_account_name'),
    subAccountId: text('sub_account_id'),
    subAccountName: text('sub_account_name'),
    billingCurrency: text('billing_currency').notNull(),
    billingPeriodStart: timestamp('billing_period_start', { withTimezone: true }).notNull(),
    billingPeriodEnd: timestamp('billing_period_end', { withTimezone: true }).notNull(),
    chargePeriodStart: timestamp('charge_period_start', { withTimezone: true }).notNull(),
    chargePeriodEnd: timestamp('charge_period_end', { withTimezone: true }).notNull(),
    chargeCategory: text('charge_category').notNull(),
    chargeClass: text('charge_class'),
    chargeDescription: text('charge_description'),
    chargeFrequency: text('charge_frequency'),
    providerName: text('provider_name').notNull(),
    publisherName: text('publisher_name'),
    hostProviderName: text('host_provider_name'),
    invoiceIssuerName: text('invoice_issuer_name'),
    serviceName: text('service_name').notNull(),
    serviceCategory: text('service_category'),
    regionId: text('region_id'),
    regionName: text('region_name'),
    availabilityZone: text('availability_zone'),
    resourceId: text('resource_id'),
    resourceName: text('resource_name'),
    resourceType: text('resource_type'),
    skuId: text('sku_id'),
    skuPriceId: text('sku_price_id'),
    pricingCategory: text('pricing_category'),
    pricingUnit: text('pricing_unit'),
    pricingQuantity: numeric('pricing_quantity'),
    consumedQuantity: numeric('consumed_quantity'),
    consumedUnit: text('consumed_unit'),
    commitmentDiscountId: text('commitment_discount_id'),
    commitmentDiscountName: text('commitment_discount_name'),
    commitmentDiscountType: text('commitment_discount_type'),
    commitmentDiscountCategory: text('commitment_discount_category'),
    commitmentDiscountStatus: text('commitment_discount_status'),
    billedCost: money('billed_cost').notNull(),
    effectiveCost: money('effective_cost').notNull(),
    listCost: money('list_cost').notNull(),
    contractedCost: money('contracted_cost'),
    listUnitPrice: numeric('list_unit_price'),
    contractedUnitPrice: numeric('contracted_unit_price'),
    allocatedMethodId: text('allocated_method_id'),
    allocatedResourceId: text('allocated_resource_id'),
    allocatedResourceName: text('allocated_resource_name'),
    allocatedTags: jsonb('allocated_tags'),
    contractApplied: jsonb('contract_applied'),
    tags: jsonb('tags'),
    extra: jsonb('extra'),
  },
  (table) => [
    index('billing_lines_import_line_idx').on(table.importId, table.lineNumber),
    check('billing_lines_charge_period_check', sql`charge_period_end >= charge_period_start`),
    ...FINITE_COLUMNS.map((column) =>
      check(
        `billing_lines_${column}_finite_check`,
        sql.raw(`${column} <> 'NaN' and ${column} > '-Infinity' and ${column} < 'Infinity'`),
      ),
    ),
    ...OBJECT_COLUMNS.map((column) =>
      check(`billing_lines_${column}_object_check`, sql.raw(`jsonb_typeof(${column}) = 'object'`)),
    ),
  ],
);

/** The dimensions shared by both rollup tables. */
function rollupDimensions() {
  return {
    importId: integer('import_id')
      .notNull()
      .references(() => billingImports.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    billingCurrency: text('billing_currency').notNull(),
    billingAccountId: text('billing_account_id').notNull(),
    subAccountId: text('sub_account_id').notNull(),
    providerName: text('provider_name').notNull(),
    serviceName: text('service_name').notNull(),
    serviceCategory: text('service_category').notNull(),
    regionId: text('region_id').notNull(),
    chargeCategory: text('charge_category').notNull(),
    /** Only the chosen tag keys (import option `rollupTagKeys`). */
    tags: jsonb('tags').$type<Record<string, string>>().notNull(),
    billedCost: numeric('billed_cost').notNull(),
    effectiveCost: numeric('effective_cost').notNull(),
    listCost: numeric('list_cost').notNull(),
    contractedCost: numeric('contracted_cost').notNull(),
    lineCount: integer('line_count').notNull(),
  };
}

/** Daily sums per service-level dimensions: what the explorer reads unless a resource is asked for. */
export const billingDailyRollups = pgTable('billing_daily_rollups', rollupDimensions(), (table) => [
  index('billing_daily_rollups_day_idx').on(table.day),
  index('billing_daily_rollups_import_idx').on(table.importId),
]);

/** The daily rollups summed per month (`day` = the month's first day): for month views of long periods. */
export const billingMonthlyRollups = pgTable('billing_monthly_rollups', rollupDimensions(), (table) => [
  index('billing_monthly_rollups_day_idx').on(table.day),
  index('billing_monthly_rollups_import_idx').on(table.importId),
]);

/** Daily sums per resource as well: for resource filters and groupings. */
export const billingDailyResourceRollups = pgTable(
  'billing_daily_resource_rollups',
  { ...rollupDimensions(), resourceId: text('resource_id').notNull() },
  (table) => [
    index('billing_daily_resource_rollups_day_idx').on(table.day),
    index('billing_daily_resource_rollups_resource_idx').on(table.resourceId, table.day),
    index('billing_daily_resource_rollups_import_idx').on(table.importId),
  ],
);
