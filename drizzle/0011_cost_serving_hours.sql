CREATE TABLE "cost_serving_hours" (
	"hour" timestamp with time zone NOT NULL,
	"cluster" text NOT NULL,
	"namespace" text NOT NULL,
	"pod" text NOT NULL,
	"server" text NOT NULL,
	"requests" double precision NOT NULL,
	"prompt_tokens" double precision,
	"generated_tokens" double precision,
	CONSTRAINT "cost_serving_hours_cluster_hour_namespace_pod_pk" PRIMARY KEY("cluster","hour","namespace","pod")
);
