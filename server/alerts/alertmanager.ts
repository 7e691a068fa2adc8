import 'server-only';
import { z } from 'zod';
import { timeUpstreamCall } from '@/server/observability/metrics';

const statusSchema = z.object({
  versionInfo: z.object({ version: z.string() }).partial().optional(),
  cluster: z.object({ status: z.string() }).partial().optional(),
});

/** The Alertmanager of ALERTMANAGER_URL answers its v2 status API; returns its version. */
export async function probeAlertmanager(baseUrl: string, signal?: AbortSignal): Promise<string> {
  return timeUpstreamCall('alertmanager', 'status', async () => {
    const response = await fetch(new URL('/api/v2/status', baseUrl), { signal: signal ?? AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`Alertmanager answered HTTP ${response.status}`);
    const status = statusSchema.parse(await response.json());
    return `${baseUrl} v${status.versionInfo?.version ?? '?'}`;
  });
}
