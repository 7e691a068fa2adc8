import 'server-only';
import { probeAlertmanager } from '@/server/alerts/alertmanager';
import { appConfig } from '@/server/config';
import { probeDatabase } from '@/server/db/health';
import { kubernetesProbes } from '@/server/kubernetes/health';
import { prometheusProbe } from '@/server/metrics/health-probe';

export type CheckStatus = 'ok' | 'down';

export interface HealthCheck {
  status: CheckStatus;
  latencyMs: number;
  /** What answered (driver and location, URL, version), when it did. */
  detail?: string;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checkedAt: string;
  checks: Record<string, HealthCheck>;
}

type Probe = () => Promise<string>;

const CHECK_TIMEOUT_MS = 3000;

const alertmanagerUrl = appConfig().alertmanagerUrl;

/** One probe per upstream; each module adds its own as it lands (prometheus, kubernetes, ...). */
const probes: Record<string, Probe> = {
  database: async () => {
    const probe = await probeDatabase();
    return `${probe.driver} ${probe.location}`;
  },
  ...kubernetesProbes(),
  prometheus: prometheusProbe,
  ...(alertmanagerUrl ? { alertmanager: () => probeAlertmanager(alertmanagerUrl) } : {}),
};

async function runCheck(probe: Probe): Promise<HealthCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    const detail = await Promise.race([probe(), timeout]);
    return { status: 'ok', latencyMs: Math.round(performance.now() - started), detail };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(): Promise<HealthReport> {
  const names = Object.keys(probes);
  const results = await Promise.all(names.map((name) => runCheck(probes[name]!)));
  const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
  const status = results.every((r) => r.status === 'ok') ? 'ok' : 'degraded';
  return { status, checkedAt: new Date().toISOString(), checks };
}
