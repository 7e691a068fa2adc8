-- Lines are keyed by (import, line) instead of a bigserial id: no sequence to draw from and one index
-- to maintain per line on the bulk path. Dropping id drops its primary key constraint first.
DROP INDEX "billing_lines_import_idx";--> statement-breakpoint
ALTER TABLE "billing_lines" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "billing_lines" ADD CONSTRAINT "billing_lines_pkey" PRIMARY KEY("import_id","line_number");
