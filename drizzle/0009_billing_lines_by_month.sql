-- billing_lines becomes one table partitioned by month of ChargePeriodStart, with the FOCUS checks
-- as its constraints. The lines move over (a fast-path import's own tables too, their unknown
-- columns into `extra`), then the old table, its inheritors and the fast path's leftovers go.
ALTER TABLE "billing_lines" RENAME TO "billing_lines_unpartitioned";--> statement-breakpoint
ALTER TABLE "billing_lines_unpartitioned" RENAME CONSTRAINT "billing_lines_pkey" TO "billing_lines_unpartitioned_pkey";--> statement-breakpoint
CREATE TABLE "billing_lines" (
	"import_id" integer NOT NULL,
	"line_number" integer NOT NULL,
	"billing_account_id" text NOT NULL,
	"billing_account_name" text,
	"sub_account_id" text,
	"sub_account_name" text,
	"billing_currency" text NOT NULL,
	"billing_period_start" timestamp with time zone NOT NULL,
	"billing_period_end" timestamp with time zone NOT NULL,
	"charge_period_start" timestamp with time zone NOT NULL,
	"charge_period_end" timestamp with time zone NOT NULL,
	"charge_category" text NOT NULL,
	"charge_class" text,
	"charge_description" text,
	"charge_frequency" text,
	"provider_name" text NOT NULL,
	"publisher_name" text,
	"host_provider_name" text,
	"invoice_issuer_name" text,
	"service_name" text NOT NULL,
	"service_category" text,
	"region_id" text,
	"region_name" text,
	"availability_zone" text,
	"resource_id" text,
	"resource_name" text,
	"resource_type" text,
	"sku_id" text,
	"sku_price_id" text,
	"pricing_category" text,
	"pricing_unit" text,
	"pricing_quantity" numeric,
	"consumed_quantity" numeric,
	"consumed_unit" text,
	"commitment_discount_id" text,
	"commitment_discount_name" text,
	"commitment_discount_type" text,
	"commitment_discount_category" text,
	"commitment_discount_status" text,
	"billed_cost" numeric NOT NULL,
	"effective_cost" numeric NOT NULL,
	"list_cost" numeric NOT NULL,
	"contracted_cost" numeric,
	"list_unit_price" numeric,
	"contracted_unit_price" numeric,
	"allocated_method_id" text,
	"allocated_resource_id" text,
	"allocated_resource_name" text,
	"allocated_tags" jsonb,
	"contract_applied" jsonb,
	"tags" jsonb,
	"extra" jsonb,
	CONSTRAINT "billing_lines_charge_period_check" CHECK (charge_period_end >= charge_period_start),
	CONSTRAINT "billing_lines_billed_cost_finite_check" CHECK (billed_cost <> 'NaN' and billed_cost > '-Infinity' and billed_cost < 'Infinity'),
	CONSTRAINT "billing_lines_effective_cost_finite_check" CHECK (effective_cost <> 'NaN' and effective_cost > '-Infinity' and effective_cost < 'Infinity'),
	CONSTRAINT "billing_lines_list_cost_finite_check" CHECK (list_cost <> 'NaN' and list_cost > '-Infinity' and list_cost < 'Infinity'),
	CONSTRAINT "billing_lines_contracted_cost_finite_check" CHECK (contracted_cost <> 'NaN' and contracted_cost > '-Infinity' and contracted_cost < 'Infinity'),
	CONSTRAINT "billing_lines_pricing_quantity_finite_check" CHECK (pricing_quantity <> 'NaN' and pricing_quantity > '-Infinity' and pricing_quantity < 'Infinity'),
	CONSTRAINT "billing_lines_consumed_quantity_finite_check" CHECK (consumed_quantity <> 'NaN' and consumed_quantity > '-Infinity' and consumed_quantity < 'Infinity'),
	CONSTRAINT "billing_lines_list_unit_price_finite_check" CHECK (list_unit_price <> 'NaN' and list_unit_price > '-Infinity' and list_unit_price < 'Infinity'),
	CONSTRAINT "billing_lines_contracted_unit_price_finite_check" CHECK (contracted_unit_price <> 'NaN' and contracted_unit_price > '-Infinity' and contracted_unit_price < 'Infinity'),
	CONSTRAINT "billing_lines_tags_object_check" CHECK (jsonb_typeof(tags) = 'object'),
	CONSTRAINT "billing_lines_allocated_tags_object_check" CHECK (jsonb_typeof(allocated_tags) = 'object'),
	CONSTRAINT "billing_lines_contract_applied_object_check" CHECK (jsonb_typeof(contract_applied) = 'object')
) PARTITION BY RANGE ("charge_period_start");--> statement-breakpoint
CREATE INDEX "billing_lines_import_line_idx" ON "billing_lines" USING btree ("import_id","line_number");--> statement-breakpoint
DO $$
DECLARE
  month_start timestamptz;
  part record;
  part_name text;
  extra_sql text;
BEGIN
  FOR month_start IN SELECT DISTINCT date_trunc('month', charge_period_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' FROM billing_lines_unpartitioned LOOP
    part_name := 'billing_lines_y' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY"m"MM');
    EXECUTE format('CREATE TABLE %I PARTITION OF billing_lines FOR VALUES FROM (%L) TO (%L)', part_name, month_start, month_start + interval '1 month');
  END LOOP;
  INSERT INTO billing_lines SELECT "import_id", "line_number", "billing_account_id", "billing_account_name", "sub_account_id", "sub_account_name", "billing_currency", "billing_period_start", "billing_period_end", "charge_period_start", "charge_period_end", "charge_category", "charge_class", "charge_description", "charge_frequency", "provider_name", "publisher_name", "host_provider_name", "invoice_issuer_name", "service_name", "service_category", "region_id", "region_name", "availability_zone", "resource_id", "resource_name", "resource_type", "sku_id", "sku_price_id", "pricing_category", "pricing_unit", "pricing_quantity", "consumed_quantity", "consumed_unit", "commitment_discount_id", "commitment_discount_name", "commitment_discount_type", "commitment_discount_category", "commitment_discount_status", "billed_cost", "effective_cost", "list_cost", "contracted_cost", "list_unit_price", "contracted_unit_price", "allocated_method_id", "allocated_resource_id", "allocated_resource_name", "allocated_tags", "contract_applied", "tags", "extra" FROM ONLY billing_lines_unpartitioned;
  FOR part IN SELECT c.relname AS tbl, i.extra_columns AS columns FROM pg_inherits h
      JOIN pg_class c ON c.oid = h.inhrelid JOIN billing_imports i ON c.relname = ANY (i.line_tables)
      WHERE h.inhparent = 'billing_lines_unpartitioned'::regclass LOOP
    SELECT coalesce('jsonb_strip_nulls(jsonb_build_object(' || string_agg(format('%L, nullif(nullif(%I, %L), %L)', header, col, '', 'NULL'), ', ') || '))', 'NULL')
      INTO extra_sql FROM jsonb_each_text(coalesce(part.columns, '{}'::jsonb)) AS e(col, header);
    EXECUTE format('INSERT INTO billing_lines SELECT "import_id", "line_number", "billing_account_id", "billing_account_name", "sub_account_id", "sub_account_name", "billing_currency", "billing_period_start", "billing_period_end", "charge_period_start", "charge_period_end", "charge_category", "charge_class", "charge_description", "charge_frequency", "provider_name", "publisher_name", "host_provider_name", "invoice_issuer_name", "service_name", "service_category", "region_id", "region_name", "availability_zone", "resource_id", "resource_name", "resource_type", "sku_id", "sku_price_id", "pricing_category", "pricing_unit", "pricing_quantity", "consumed_quantity", "consumed_unit", "commitment_discount_id", "commitment_discount_name", "commitment_discount_type", "commitment_discount_category", "commitment_discount_status", "billed_cost", "effective_cost", "list_cost", "contracted_cost", "list_unit_price", "contracted_unit_price", "allocated_method_id", "allocated_resource_id", "allocated_resource_name", "allocated_tags", "contract_applied", "tags", nullif(%s, ''{}''::jsonb) FROM %I', extra_sql, part.tbl);
  END LOOP;
  FOR part_name IN SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'burnrate\_focus\_stage\_%' LOOP
    EXECUTE format('DROP TABLE %I', part_name);
  END LOOP;
END
$$;--> statement-breakpoint
DROP TABLE "billing_lines_unpartitioned" CASCADE;--> statement-breakpoint
ALTER TABLE "billing_imports" DROP COLUMN "line_tables";--> statement-breakpoint
ALTER TABLE "billing_imports" DROP COLUMN "extra_columns";--> statement-breakpoint
DROP FUNCTION IF EXISTS burnrate_focus_reject(bigint, text, text, text);
