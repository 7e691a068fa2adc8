import 'server-only';
import { kubeContextNames } from '@/server/kubernetes/kubeconfig';

export interface ClusterEntry {
  name: string;
  /** Where the entry came from: a kubeconfig context, or the Burnrate config file. */
  source: 'kubeconfig' | 'config';
}

/** The kubeconfig files, in order (KUBECONFIG may list several, separated by ':'). */
export function kubeconfigFiles(): string[] {
  return (process.env.KUBECONFIG ?? '').split(':').filter(Boolean);
}

/**
 * The clusters Burnrate knows: one per kubeconfig context. A missing or broken kubeconfig means
 * no clusters, never a crash.
 */
export function configuredClusters(): ClusterEntry[] {
  return kubeContextNames(kubeconfigFiles()).map((name) => ({ name, source: 'kubeconfig' as const }));
}

/** The kubeconfig context of a configured cluster, or undefined when no cluster has that name. */
export function clusterContext(cluster: string): string | undefined {
  return configuredClusters().some((entry) => entry.name === cluster) ? cluster : undefined;
}
