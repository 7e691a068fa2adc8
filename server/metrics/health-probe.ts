import 'server-only';
import { checkPrometheusHealth } from '@/server/prometheus/health';
import { metricsSettings } from './config';

/** The /api/health check for Prometheus: version and breaker state, or why it failed. */
export async function prometheusProbe(): Promise<string> {
  const url = metricsSettings().prometheusUrl;
  if (!url) throw new Error('PROMETHEUS_URL is not set');
  const health = await checkPrometheusHealth(url);
  if (!health.ok) throw new Error(`${url}: ${health.error?.message ?? 'no answer'} (breaker ${health.breaker.state})`);
  return `${url} Prometheus ${health.version ?? '?'}, breaker ${health.breaker.state}`;
}
