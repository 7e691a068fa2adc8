import 'server-only';
import { appConfig } from '@/server/config';
import { kubeContextNames } from '@/server/kubernetes/kubeconfig';

export interface ClusterEntry {
  name: string;
  /** Where the entry came from: a kubeconfig context, or the Burnrate config file. */
  source: 'kubeconfig' | 'config';
}

/** The kubeconfig files, in order (KUBECONFIG may list several, separated by ':'). */
export function kubeconfigFiles(): string[] {
  return appConfig().kubeconfig;
}

/**
 * The clusters Burnrate knows: those the config file lists, else one per kubeconfig context. A
 * missing or broken kubeconfig means no clusters from it, never a crash.
 */
export function configuredClusters(): ClusterEntry[] {
  const listed = appConfig().clusters;
  if (listed) return listed.map(({ name }) => ({ name, source: 'config' as const }));
  return kubeContextNames(kubeconfigFiles()).map((name) => ({ name, source: 'kubeconfig' as const }));
}

/** The kubeconfig context of a configured cluster (the file's `context`, else its name), or undefined. */
export function clusterContext(cluster: string): string | undefined {
  const listed = appConfig().clusters;
  if (listed) {
    const entry = listed.find((c) => c.name === cluster);
    return entry ? (entry.context ?? entry.name) : undefined;
  }
  return kubeContextNames(kubeconfigFiles()).includes(cluster) ? cluster : undefined;
}

/**
 * The Prometheus of a cluster: its own `prometheusUrl` in the file, else `PROMETHEUS_URL`. Panels
 * still ask the one `PROMETHEUS_URL` for every cluster; fanning out per cluster comes with issue 21.
 */
export function clusterPrometheusUrl(cluster: string): string | null {
  const config = appConfig();
  return config.clusters?.find((c) => c.name === cluster)?.prometheusUrl ?? config.prometheusUrl ?? null;
}
