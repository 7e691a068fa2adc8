import { KubeApiError } from './client';

/**
 * Exponential backoff with jitter, capped: `initialMs × 2^(failures-1)` up to `maxMs`, times a
 * factor in [0.5, 1.5) so that caches failing together do not retry together.
 */
export function backoffDelayMs(failures: number, initialMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, initialMs * 2 ** (failures - 1));
  return base * (0.5 + random());
}

/** What a person reads next to the cluster: the server, then the status or socket error. */
export function describeError(error: unknown, server: string): string {
  if (error instanceof KubeApiError) return `${server}: ${error.statusCode} ${error.message}`;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${server}: ${code} ${message}` : `${server}: ${message}`;
}
