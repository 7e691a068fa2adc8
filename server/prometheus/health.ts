import 'server-only';
import { prometheusGuard, type BreakerSnapshot } from './guard';
import { prometheusClient } from './client';
import { isPrometheusError, type PrometheusErrorKind } from './errors';

export interface PrometheusHealth {
  prometheusUrl: string;
  ok: boolean;
  /** Prometheus version from buildinfo, when it answered. */
  version: string | null;
  latencyMs: number | null;
  error: { kind: PrometheusErrorKind | 'other'; message: string } | null;
  breaker: BreakerSnapshot;
}

/** One check for /api/health: a buildinfo call through the URL's breaker, with a short timeout. */
export async function checkPrometheusHealth(
  prometheusUrl: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<PrometheusHealth> {
  const client = prometheusClient(prometheusUrl);
  const startedAtMs = performance.now();
  try {
    const info = await client.buildInfo({ timeoutMs: options.timeoutMs ?? 2_000, signal: options.signal });
    return {
      prometheusUrl: client.url,
      ok: true,
      version: info.version,
      latencyMs: Math.round(performance.now() - startedAtMs),
      error: null,
      breaker: prometheusGuard(client.url).snapshot(),
    };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return {
      prometheusUrl: client.url,
      ok: false,
      version: null,
      latencyMs: null,
      error: {
        kind: isPrometheusError(error) ? error.kind : 'other',
        message: error instanceof Error ? error.message : String(error),
      },
      breaker: prometheusGuard(client.url).snapshot(),
    };
  }
}
