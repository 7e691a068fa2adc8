CREATE TABLE "billing_daily_resource_rollups" (
	"import_id" integer NOT NULL,
	"day" date NOT NULL,
	"billing_currency" text NOT NULL,
	"billing_account_id" text NOT NULL,
	"sub_account_id" text NOT NULL,
	"provider_name" text NOT NULL,
	"service_name" text NOT NULL,
	"service_category" text NOT NULL,
	"region_id" text NOT NULL,
	"charge_category" text NOT NULL,
	"tags" jsonb NOT NULL,
	"billed_cost" numeric NOT NULL,
	"effective_cost" numeric NOT NULL,
	"list_cost" numeric NOT NULL,
	"contracted_cost" numeric NOT NULL,
	"line_count" integer NOT NULL,
	"resource_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_daily_rollups" (
	"import_id" integer NOT NULL,
	"day" date NOT NULL,
	"billing_currency" text NOT NULL,
	"billing_account_id" text NOT NULL,
	"sub_account_id" text NOT NULL,
	"provider_name" text NOT NULL,
	"service_name" text NOT NULL,
	"service_category" text NOT NULL,
	"region_id" text NOT NULL,
	"charge_category" text NOT NULL,
	"tags" jsonb NOT NULL,
	"billed_cost" numeric NOT NULL,
	"effective_cost" numeric NOT NULL,
	"list_cost" numeric NOT NULL,
	"contracted_cost" numeric NOT NULL,
	"line_count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"content_sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"focus_version" text NOT NULL,
	"row_count" integer NOT NULL,
	"bytes" integer NOT NULL,
	"totals" jsonb NOT NULL,
	"charge_period_start" timestamp with time zone,
	"charge_period_end" timestamp with time zone,
	"duration_ms" integer NOT NULL,
	"actor" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_lines" (
	"id" bigserial PRIMARY KEY NOT NULL,
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
	"extra" jsonb
);
--> statement-breakpoint
ALTER TABLE "billing_daily_resource_rollups" ADD CONSTRAINT "billing_daily_resource_rollups_import_id_billing_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."billing_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_daily_rollups" ADD CONSTRAINT "billing_daily_rollups_import_id_billing_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."billing_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_lines" ADD CONSTRAINT "billing_lines_import_id_billing_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."billing_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "billing_daily_resource_rollups_day_idx" ON "billing_daily_resource_rollups" USING btree ("day");--> statement-breakpoint
CREATE INDEX "billing_daily_resource_rollups_resource_idx" ON "billing_daily_resource_rollups" USING btree ("resource_id","day");--> statement-breakpoint
CREATE INDEX "billing_daily_resource_rollups_import_idx" ON "billing_daily_resource_rollups" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "billing_daily_rollups_day_idx" ON "billing_daily_rollups" USING btree ("day");--> statement-breakpoint
CREATE INDEX "billing_daily_rollups_import_idx" ON "billing_daily_rollups" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_imports_sha256_idx" ON "billing_imports" USING btree ("content_sha256");--> statement-breakpoint
CREATE INDEX "billing_lines_import_idx" ON "billing_lines" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "billing_lines_period_idx" ON "billing_lines" USING btree ("charge_period_start");