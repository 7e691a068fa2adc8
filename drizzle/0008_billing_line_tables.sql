ALTER TABLE "billing_imports" ADD COLUMN "line_tables" text[];--> statement-breakpoint
ALTER TABLE "billing_imports" ADD COLUMN "extra_columns" jsonb;