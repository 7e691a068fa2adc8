import 'server-only';
import { guardFor, UpstreamGuard, type BreakerSnapshot, type GuardOptions } from '@/server/upstream-guard';
import { isPrometheusError } from './errors';

/** Unreachable, timed out, or a 5xx: the upstream is at fault. A rejected query (4xx) proves it is alive. */
export function isPrometheusFailure(error: unknown): boolean {
  return isPrometheusError(error) && error.kind !== 'bad-query' && error.kind !== 'circuit-open';
}

/** Worth one more try: the connection failed or a proxy in front answered 502/503/504. */
export function isTransientPrometheusError(error: unknown): boolean {
  if (!isPrometheusError(error)) return false;
  if (error.kind === 'unreachable') return true;
  const status = (error as { httpStatus?: number }).httpStatus;
  return error.kind === 'server' && (status === 502 || status === 503 || status === 504);
}

export function prometheusGuardOptions(overrides: Partial<GuardOptions> = {}): GuardOptions {
  return { isFailure: isPrometheusFailure, isTransient: isTransientPrometheusError, ...overrides };
}

/**
 * The process-wide guard (retry, breaker, timeout) of one Prometheus URL; `overrides` apply only
 * when this call creates it. Every call through it is a read: retrying one is safe.
 */
export function prometheusGuard(prometheusUrl: string, overrides?: Partial<GuardOptions>): UpstreamGuard {
  return guardFor('prometheus', prometheusUrl, () => prometheusGuardOptions(overrides));
}

/** A guard of its own with no retries and a breaker that never opens (reference queries in tests, probes). */
export function unguarded(prometheusUrl: string): UpstreamGuard {
  return new UpstreamGuard(
    prometheusUrl,
    prometheusGuardOptions({ retries: 0, failureThreshold: Number.POSITIVE_INFINITY }),
  );
}

export type { BreakerSnapshot };
