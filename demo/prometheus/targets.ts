import type { ClusterName } from '../topology.ts';
import type { ExporterName } from '../sim/samples.ts';

// How Prometheus sees each exporter: its job name and target labels. The scrape config and the
// backfill both build series identity from here, so backfilled and scraped series are the same.

export const jobNames: Record<ExporterName, string> = {
  dcgm: 'dcgm-exporter',
  kepler: 'kepler',
  vllm: 'vllm',
  http: 'http-services',
  'kube-state-metrics': 'kube-state-metrics',
  cadvisor: 'kubelet-cadvisor',
  knative: 'knative-serving',
  argo: 'argo-workflows-controller',
  opencost: 'opencost',
};

/** OpenCost publishes `instance` = node name, which Prometheus keeps only with honor_labels. */
export function honorsLabels(exporter: ExporterName): boolean {
  return exporter === 'opencost';
}

export function metricsPath(cluster: ClusterName, exporter: ExporterName): string {
  return `/clusters/${cluster}/${exporter}/metrics`;
}

/** Labels Prometheus adds to every series scraped from this target. */
export function targetLabels(
  cluster: ClusterName,
  exporter: ExporterName,
  exportersAddress: string,
): Record<string, string> {
  return {
    cluster,
    job: jobNames[exporter],
    ...(honorsLabels(exporter) ? {} : { instance: exportersAddress }),
  };
}
