import 'server-only';
import { z } from 'zod';
import { timeUpstreamCall } from '@/server/observability/metrics';
import { guardFor, type UpstreamGuard } from '@/server/upstream-guard';

const statusSchema = z.object({
  versionInfo: z.object({ version: z.string() }).partial().optional(),
  cluster: z.object({ status: z.string() }).partial().optional(),
});

/** Alertmanager answered, but not with a success. */
export class AlertmanagerHttpError extends Error {
  override readonly name = 'AlertmanagerHttpError';
  constructor(readonly httpStatus: number) {
    super(`Alertmanager answered HTTP ${httpStatus}`);
  }
}

const isAbort = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

/** The process-wide retry, breaker and timeout of one Alertmanager (every call through it is a read). */
export function alertmanagerGuard(baseUrl: string): UpstreamGuard {
  return guardFor('alertmanager', baseUrl, () => ({
    isFailure: (error) => !isAbort(error) && !(error instanceof AlertmanagerHttpError && error.httpStatus < 500),
    // fetch rejects with a TypeError when the connection fails.
    isTransient: (error) =>
      error instanceof TypeError ||
      (error instanceof AlertmanagerHttpError && [502, 503, 504].includes(error.httpStatus)),
  }));
}

/** The Alertmanager of ALERTMANAGER_URL answers its v2 status API; returns its version. */
export async function probeAlertmanager(baseUrl: string, signal?: AbortSignal): Promise<string> {
  return timeUpstreamCall('alertmanager', 'status', () =>
    alertmanagerGuard(baseUrl).execute(
      async (attemptSignal) => {
        const response = await fetch(new URL('/api/v2/status', baseUrl), { signal: attemptSignal });
        if (!response.ok) throw new AlertmanagerHttpError(response.status);
        const status = statusSchema.parse(await response.json());
        return `${baseUrl} v${status.versionInfo?.version ?? '?'}`;
      },
      { timeoutMs: 3_000, signal },
    ),
  );
}
