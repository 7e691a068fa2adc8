import type { WorkloadIdentity } from '@/server/kubernetes/types';

const enc = encodeURIComponent;

/** The workload page: the hub every other view links to. */
export function workloadHref(w: WorkloadIdentity, queryString = ''): string {
  if (w.kind === 'Workflow') return runHref({ cluster: w.cluster, namespace: w.namespace, name: w.name }, queryString);
  return `/workloads/${enc(w.cluster)}/${enc(w.namespace)}/${enc(w.kind)}/${enc(w.name)}${queryString}`;
}

export function runHref(run: { cluster: string; namespace: string; name: string }, queryString = ''): string {
  return `/pipelines/${enc(run.cluster)}/${enc(run.namespace)}/${enc(run.name)}${queryString}`;
}
