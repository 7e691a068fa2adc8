CREATE TABLE "cost_allocations" (
	"hour" timestamp with time zone NOT NULL,
	"cluster" text NOT NULL,
	"team" text NOT NULL,
	"namespace" text NOT NULL,
	"workload_kind" text NOT NULL,
	"workload_name" text NOT NULL,
	"pod" text NOT NULL,
	"node" text NOT NULL,
	"cpu_cost" numeric NOT NULL,
	"memory_cost" numeric NOT NULL,
	"gpu_reserved_cost" numeric NOT NULL,
	"gpu_used_cost" numeric NOT NULL,
	"cpu_used_cost" numeric NOT NULL,
	"memory_used_cost" numeric NOT NULL,
	"hours_present" real NOT NULL,
	"cpu_request_cores" real NOT NULL,
	"cpu_usage_cores" real NOT NULL,
	"memory_request_bytes" double precision NOT NULL,
	"memory_usage_bytes" double precision NOT NULL,
	"charged_cpu_core_hours" real NOT NULL,
	"charged_memory_byte_hours" double precision NOT NULL,
	"charged_gpu_device_hours" real NOT NULL,
	"gpu_activity" real,
	"cost_source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cost_node_hours" (
	"hour" timestamp with time zone NOT NULL,
	"cluster" text NOT NULL,
	"node" text NOT NULL,
	"instance_id" text,
	"instance_type" text,
	"hours_present" real NOT NULL,
	"total_cost" numeric NOT NULL,
	"cpu_cost" numeric NOT NULL,
	"memory_cost" numeric NOT NULL,
	"gpu_cost" numeric NOT NULL,
	"currency" text NOT NULL,
	"cost_source" text NOT NULL,
	"idle_cpu_cost" numeric NOT NULL,
	"idle_memory_cost" numeric NOT NULL,
	"idle_gpu_reserved_cost" numeric NOT NULL,
	"idle_gpu_used_cost" numeric NOT NULL,
	"scaled_down" boolean NOT NULL,
	CONSTRAINT "cost_node_hours_cluster_hour_node_pk" PRIMARY KEY("cluster","hour","node")
);
--> statement-breakpoint
CREATE TABLE "cost_runs" (
	"cluster" text NOT NULL,
	"day" date NOT NULL,
	"hours_computed" integer NOT NULL,
	"bill_import_ids" jsonb NOT NULL,
	"latest_import_id" integer,
	"node_hours" integer NOT NULL,
	"pod_hours" integer NOT NULL,
	"hours_without_metrics" integer NOT NULL,
	"duration_ms" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cost_runs_cluster_day_pk" PRIMARY KEY("cluster","day")
);
--> statement-breakpoint
CREATE TABLE "cost_shared_hours" (
	"hour" timestamp with time zone NOT NULL,
	"cluster" text NOT NULL,
	"item" text NOT NULL,
	"cost" numeric NOT NULL,
	"currency" text NOT NULL,
	CONSTRAINT "cost_shared_hours_cluster_hour_item_pk" PRIMARY KEY("cluster","hour","item")
);
--> statement-breakpoint
CREATE INDEX "cost_allocations_cluster_hour_idx" ON "cost_allocations" USING btree ("cluster","hour");--> statement-breakpoint
CREATE INDEX "cost_allocations_team_hour_idx" ON "cost_allocations" USING btree ("team","hour");--> statement-breakpoint
CREATE INDEX "cost_allocations_namespace_hour_idx" ON "cost_allocations" USING btree ("namespace","hour");--> statement-breakpoint
CREATE INDEX "cost_node_hours_hour_idx" ON "cost_node_hours" USING btree ("hour");