import 'server-only';
import client from 'prom-client';

// One registry per process, kept on globalThis so that Next's module duplication
// (route handlers and instrumentation are bundled separately) cannot register metrics twice.
interface AppMetrics {
  registry: client.Registry;
  httpRequestDurationSeconds: client.Histogram<'route' | 'method' | 'status'>;
  trpcProcedureDurationSeconds: client.Histogram<'procedure' | 'type' | 'code'>;
  upstreamRequestDurationSeconds: client.Histogram<'upstream' | 'operation' | 'outcome'>;
  upstreamErrorsTotal: client.Counter<'upstream' | 'operation' | 'reason'>;
}

const globalKey = Symbol.for('burnrate.metrics');
type GlobalWithMetrics = typeof globalThis & { [globalKey]?: AppMetrics };

function createMetrics(): AppMetrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ app: 'burnrate' });
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    httpRequestDurationSeconds: new client.Histogram({
      name: 'burnrate_http_request_duration_seconds',
      help: 'Duration of HTTP route handler requests.',
      labelNames: ['route', 'method', 'status'],
      buckets,
      registers: [registry],
    }),
    trpcProcedureDurationSeconds: new client.Histogram({
      name: 'burnrate_trpc_procedure_duration_seconds',
      help: 'Duration of tRPC procedure calls (subscriptions: time to first response).',
      labelNames: ['procedure', 'type', 'code'],
      buckets,
      registers: [registry],
    }),
    upstreamRequestDurationSeconds: new client.Histogram({
      name: 'burnrate_upstream_request_duration_seconds',
      help: 'Duration of calls to upstreams (prometheus, kubernetes, alertmanager, database).',
      labelNames: ['upstream', 'operation', 'outcome'],
      buckets,
      registers: [registry],
    }),
    upstreamErrorsTotal: new client.Counter({
      name: 'burnrate_upstream_errors_total',
      help: 'Failed calls to upstreams, by reason.',
      labelNames: ['upstream', 'operation', 'reason'],
      registers: [registry],
    }),
  };
}

export function appMetrics(): AppMetrics {
  const g = globalThis as GlobalWithMetrics;
  g[globalKey] ??= createMetrics();
  return g[globalKey];
}

/** Times `fn` as a call to `upstream`, recording its outcome and, on failure, the reason. */
export async function timeUpstreamCall<T>(upstream: string, operation: string, fn: () => Promise<T>): Promise<T> {
  const metrics = appMetrics();
  const end = metrics.upstreamRequestDurationSeconds.startTimer({ upstream, operation });
  try {
    const result = await fn();
    end({ outcome: 'ok' });
    return result;
  } catch (error) {
    end({ outcome: 'error' });
    const reason = error instanceof Error ? error.name : 'unknown';
    metrics.upstreamErrorsTotal.inc({ upstream, operation, reason });
    throw error;
  }
}
