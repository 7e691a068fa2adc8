// Starts the real Prometheus and Alertmanager from Debian's packages with Burnrate's own config
// and data directories (the packages' services are never used).
import { mkdirSync } from 'node:fs';
import { startProcess, waitForHttp, type ManagedProcess } from './processes';

export async function startPrometheus(options: {
  configPath: string;
  dataDir: string;
  port: number;
  retentionDays?: number;
}): Promise<ManagedProcess> {
  mkdirSync(options.dataDir, { recursive: true });
  const prometheus = startProcess('prometheus', 'prometheus', [
    `--config.file=${options.configPath}`,
    `--storage.tsdb.path=${options.dataDir}`,
    `--storage.tsdb.retention.time=${options.retentionDays ?? 30}d`,
    `--web.listen-address=127.0.0.1:${options.port}`,
    '--web.enable-lifecycle',
    '--log.level=warn',
  ]);
  await waitForHttp(`http://127.0.0.1:${options.port}/-/ready`, 120_000, () => prometheus.child.exitCode === null);
  return prometheus;
}

export async function startAlertmanager(options: {
  configPath: string;
  dataDir: string;
  port: number;
}): Promise<ManagedProcess> {
  mkdirSync(options.dataDir, { recursive: true });
  const alertmanager = startProcess('alertmanager', 'prometheus-alertmanager', [
    `--config.file=${options.configPath}`,
    `--storage.path=${options.dataDir}`,
    `--web.listen-address=127.0.0.1:${options.port}`,
    // No gossip: a single local instance, and no port of its own to collide on.
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  await waitForHttp(`http://127.0.0.1:${options.port}/-/ready`, 60_000, () => alertmanager.child.exitCode === null);
  return alertmanager;
}
