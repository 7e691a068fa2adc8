CREATE TABLE "billing_monthly_rollups" (
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
ALTER TABLE "billing_monthly_rollups" ADD CONSTRAINT "billing_monthly_rollups_import_id_billing_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."billing_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "billing_monthly_rollups_day_idx" ON "billing_monthly_rollups" USING btree ("day");--> statement-breakpoint
CREATE INDEX "billing_monthly_rollups_import_idx" ON "billing_monthly_rollups" USING btree ("import_id");