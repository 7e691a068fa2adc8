CREATE TABLE "alert_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"status" text NOT NULL,
	"alertname" text NOT NULL,
	"severity" text,
	"cluster" text,
	"namespace" text,
	"labels" jsonb NOT NULL,
	"annotations" jsonb NOT NULL,
	"generator_url" text,
	"receiver" text NOT NULL,
	"first_received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "alert_events_episode_idx" ON "alert_events" USING btree ("fingerprint","starts_at");--> statement-breakpoint
CREATE INDEX "alert_events_received_idx" ON "alert_events" USING btree ("last_received_at");