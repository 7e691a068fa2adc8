ALTER TABLE "billing_imports" ADD COLUMN "line_table" text;--> statement-breakpoint
ALTER TABLE "billing_imports" ADD COLUMN "extra_columns" jsonb;