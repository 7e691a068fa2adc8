ALTER TABLE "billing_lines" DROP CONSTRAINT "billing_lines_import_id_billing_imports_id_fk";
--> statement-breakpoint
DROP INDEX "billing_lines_period_idx";