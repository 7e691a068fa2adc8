// The shape of the simulated clusters: the one contract shared by the demo's Kubernetes API
// (demo/kube), its simulation and exporters (demo/sim), and its billing generator (demo/billing).
// Types and instance types live in topology/, the clusters of the default profile in
// topology/default-profile.ts; change a cluster there and every part of the demo follows.
import { defaultClusters } from './topology/default-profile.ts';
import type { ClusterName, ClusterSpec } from './topology/types.ts';

export * from './topology/types.ts';
export * from './topology/instances.ts';
export { daemonSetNodes, isGpuNode, migInstancesOf, type MigInstance } from './topology/builders.ts';

export const clusters: ClusterSpec[] = defaultClusters;

/** Ports of the demo's own servers (the app, Prometheus and Alertmanager have theirs in DESIGN). */
export const demoPorts = {
  kubeApi: { 'us-east-prod': 16443, 'eu-west-batch': 16444 } satisfies Record<ClusterName, number>,
  /** One HTTP server for all exporters: /clusters/<cluster>/<exporter>/metrics. */
  exporters: 9450,
  /** Simulation control (scenarios, clock) for the e2e tests. */
  control: 9451,
} as const;

/** Bearer tokens of the demo users; the demo API answers SelfSubjectAccessReview by role. */
export const demoTokens = {
  viewer: 'demo-viewer-token',
  operator: 'demo-operator-token',
  admin: 'demo-admin-token',
  /** The identity the Burnrate app itself uses against the demo API. */
  app: 'demo-burnrate-app-token',
  /** Authenticated, but no RoleBinding names it: every resource request is 403 (tests of refusals). */
  unbound: 'demo-unbound-token',
} as const;

/** Stable UUID of GPU `index` on `nodeName`, as dcgm-exporter's `UUID` label shows it. */
export function gpuUuid(nodeName: string, index: number): string {
  let h = 2166136261;
  for (const ch of `${nodeName}/${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const hex = (h.toString(16).padStart(8, '0') + (h ^ 0x9e3779b9).toString(16).padStart(8, '0')).slice(0, 16);
  return `GPU-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${index.toString(16).padStart(4, '0')}-${nodeName.length.toString(16).padStart(12, '0')}`;
}

/**
 * Labels and annotations the demo's controllers put on pods, which the simulation reads back:
 * - `app.kubernetes.io/name`: the workload (Deployment, Knative Service, Job or pipeline) name;
 * - `burnrate.dev/team`: the owning team (also on the workload);
 * - `workflows.argoproj.io/workflow`: the Argo run a step pod belongs to; `job-name` for Jobs;
 * - `serving.knative.dev/service` and `serving.knative.dev/revision` for Knative pods;
 * - `team`: the owning team again, as platforms label pods for cost reports;
 * - annotation `demo.burnrate.dev/gpu-indexes`: "0,1", the devices the scheduler gave the pod
 *   on its node (for time-sliced GPUs, the device that hosts the slice; for MIG, the parent
 *   devices, with `demo.burnrate.dev/mig-instances` naming the instances).
 */
export const podLabels = {
  workload: 'app.kubernetes.io/name',
  team: 'burnrate.dev/team',
  workflow: 'workflows.argoproj.io/workflow',
  job: 'job-name',
  knativeService: 'serving.knative.dev/service',
  knativeRevision: 'serving.knative.dev/revision',
  gpuIndexes: 'demo.burnrate.dev/gpu-indexes',
  /** The `team` label real platforms put on pods and namespaces (kube-state-metrics: `label_team`). */
  plainTeam: 'team',
  /** MIG instances a pod got, `<gpu>:<GPU_I_ID>` comma-separated (like gpu-indexes, set by the scheduler). */
  migInstances: 'demo.burnrate.dev/mig-instances',
} as const;
