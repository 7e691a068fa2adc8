CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"request_id" text NOT NULL,
	"actor" text NOT NULL,
	"role" text NOT NULL,
	"verb" text NOT NULL,
	"cluster" text,
	"namespace" text,
	"target" text,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dry_run_diff" jsonb,
	"result" text NOT NULL,
	"status_code" integer,
	"duration_ms" integer,
	"message" text
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("cluster","namespace","target");