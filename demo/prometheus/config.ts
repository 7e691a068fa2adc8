import { stringify } from 'yaml';
import { clusters as defaultClusters, type ClusterSpec } from '../topology.ts';
import { exporterNames } from '../sim/samples.ts';
import { honorsLabels, jobNames, metricsPath } from './targets.ts';

export interface PrometheusConfigOptions {
  /** host:port of the demo's exporters server. */
  exportersAddress: string;
  /** host:port of the Burnrate app (scraped at /metrics). */
  appAddress: string;
  alertmanagerAddress: string;
  ruleFiles: string[];
  scrapeIntervalSeconds?: number;
  scrapeTimeoutSeconds?: number;
  evaluationIntervalSeconds?: number;
  /** Default: the topology's clusters. */
  clusters?: ClusterSpec[];
}

/** prometheus.yml: one job per exporter per cluster, labelled with its cluster, plus the app. */
export function prometheusConfigYaml(opts: PrometheusConfigOptions): string {
  const scrape = `${opts.scrapeIntervalSeconds ?? 15}s`;
  const scrapeConfigs: Record<string, unknown>[] = (opts.clusters ?? defaultClusters).flatMap((c) =>
    exporterNames.map((exporter) => ({
      job_name: `${c.name}/${exporter}`,
      metrics_path: metricsPath(c.name, exporter),
      ...(honorsLabels(exporter) ? { honor_labels: true } : {}),
      static_configs: [{ targets: [opts.exportersAddress], labels: { cluster: c.name, job: jobNames[exporter] } }],
    })),
  );
  scrapeConfigs.push({
    job_name: 'burnrate',
    metrics_path: '/metrics',
    static_configs: [{ targets: [opts.appAddress] }],
  });
  return stringify({
    global: {
      scrape_interval: scrape,
      scrape_timeout: `${opts.scrapeTimeoutSeconds ?? Math.min(10, opts.scrapeIntervalSeconds ?? 15)}s`,
      evaluation_interval: `${opts.evaluationIntervalSeconds ?? 15}s`,
    },
    rule_files: opts.ruleFiles,
    alerting: { alertmanagers: [{ static_configs: [{ targets: [opts.alertmanagerAddress] }] }] },
    scrape_configs: scrapeConfigs,
  });
}

export interface AlertmanagerConfigOptions {
  webhookUrl: string;
  groupWaitSeconds?: number;
}

/** alertmanager.yml: every alert to the app's webhook, grouped per workload, quickly. */
export function alertmanagerConfigYaml(opts: AlertmanagerConfigOptions): string {
  return stringify({
    route: {
      receiver: 'burnrate',
      group_by: ['alertname', 'cluster', 'namespace', 'workload'],
      group_wait: `${opts.groupWaitSeconds ?? 10}s`,
      group_interval: '30s',
      repeat_interval: '4h',
    },
    receivers: [{ name: 'burnrate', webhook_configs: [{ url: opts.webhookUrl, send_resolved: true }] }],
  });
}
