import type { ClusterSpec } from '../../topology.ts';
import { instanceTypes, migInstancesOf } from '../../topology.ts';
import type { ClusterState, PodPhase, SimPod, WorkflowPhase } from '../cluster-state.ts';
import { labelText, type SampleSink } from '../samples.ts';

const podPhases: PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const readyConditions = ['true', 'false', 'unknown'] as const;

interface PodTexts {
  info: string;
  labels: string;
  owner: string;
  phases: string[];
  ready: string[];
  cpu: string;
  memory: string;
  gpu: string;
}

/** Label texts of a pod's kube-state-metrics series, rendered once per pod object. */
const podTexts = new WeakMap<SimPod, PodTexts>();

function podTextsOf(pod: SimPod): PodTexts {
  let t = podTexts.get(pod);
  if (t) return t;
  const id = { namespace: pod.namespace, pod: pod.name, uid: pod.uid };
  const req = { ...id, container: pod.containerName, node: pod.nodeName ?? '' };
  t = {
    info: labelText({
      ...id,
      node: pod.nodeName ?? '',
      created_by_kind: pod.ownerKind,
      created_by_name: pod.ownerName,
      priority_class: '',
    }),
    labels: labelText({
      ...id,
      label_app_kubernetes_io_name: pod.workload,
      ...(pod.team ? { label_burnrate_dev_team: pod.team, label_team: pod.team } : {}),
      ...(pod.workflow ? { label_workflows_argoproj_io_workflow: pod.workflow } : {}),
    }),
    owner: labelText({ ...id, owner_kind: pod.ownerKind, owner_name: pod.ownerName, owner_is_controller: 'true' }),
    phases: podPhases.map((phase) => labelText({ ...id, phase })),
    ready: readyConditions.map((condition) => labelText({ ...id, condition })),
    cpu: labelText({ ...req, resource: 'cpu', unit: 'core' }),
    memory: labelText({ ...req, resource: 'memory', unit: 'byte' }),
    gpu: labelText({ ...req, resource: pod.gpuResource, unit: 'integer' }),
  };
  podTexts.set(pod, t);
  return t;
}

/** Pods that live as long as the cluster (DaemonSets, Deployments): their state series change rarely. */
function isLongLived(pod: SimPod): boolean {
  return (
    pod.role.kind === 'system' ||
    pod.role.kind === 'service' ||
    (pod.role.kind === 'serving' && pod.role.workload.kind === 'Deployment')
  );
}
const workflowPhases: WorkflowPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Error'];
const GiB = 1024 ** 3;

/**
 * kube-state-metrics 2.10 with `--metric-labels-allowlist=pods=[app.kubernetes.io/name,burnrate.dev/team,team,
 * workflows.argoproj.io/workflow],namespaces=[team]`.
 */
export function kubeStateSamples(spec: ClusterSpec, state: ClusterState, sink: SampleSink): void {
  const ksm = 'kube-state-metrics';
  for (const ns of sink.withSlow ? spec.namespaces : []) {
    sink.gaugeText(
      ksm,
      'kube_namespace_labels',
      labelText({ namespace: ns.name, ...(ns.team ? { label_team: ns.team } : {}) }),
      1,
      true,
    );
  }
  for (const pod of state.pods) {
    const t = podTextsOf(pod);
    const slow = isLongLived(pod);
    sink.gaugeText(ksm, 'kube_pod_info', t.info, 1, slow);
    sink.gaugeText(ksm, 'kube_pod_labels', t.labels, 1, slow);
    sink.gaugeText(ksm, 'kube_pod_owner', t.owner, 1, slow);
    podPhases.forEach((phase, i) =>
      sink.gaugeText(ksm, 'kube_pod_status_phase', t.phases[i]!, pod.phase === phase ? 1 : 0, slow),
    );
    readyConditions.forEach((condition, i) => {
      sink.gaugeText(
        ksm,
        'kube_pod_status_ready',
        t.ready[i]!,
        (condition === 'true') === pod.ready && condition !== 'unknown' ? 1 : 0,
        slow,
      );
    });
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    sink.gaugeText(ksm, 'kube_pod_container_resource_requests', t.cpu, pod.cpuRequestCores, slow);
    sink.gaugeText(ksm, 'kube_pod_container_resource_requests', t.memory, pod.memoryRequestBytes, slow);
    if (pod.gpuRequest > 0) sink.gaugeText(ksm, 'kube_pod_container_resource_requests', t.gpu, pod.gpuRequest, slow);
  }
  const nodesFrom = sink.samples.length;
  for (const node of sink.withSlow ? spec.nodes : []) {
    const type = instanceTypes[node.instanceType];
    const n = { node: node.name };
    sink.gauge(
      ksm,
      'kube_node_info',
      {
        ...n,
        provider_id: node.providerID,
        kernel_version: '6.1.112-124.190.amzn2023.x86_64',
        os_image: 'Amazon Linux 2023.6.20241121',
        container_runtime_version: 'containerd://1.7.23',
        kubelet_version: 'v1.31.2-eks-94953ac',
        internal_ip: internalIp(node.name),
      },
      1,
    );
    sink.gauge(
      ksm,
      'kube_node_labels',
      {
        ...n,
        label_node_kubernetes_io_instance_type: type.name,
        label_topology_kubernetes_io_zone: node.zone,
        label_topology_kubernetes_io_region: spec.region,
        label_eks_amazonaws_com_capacity_type: node.pricing === 'spot' ? 'SPOT' : 'ON_DEMAND',
        ...(type.gpuModel
          ? {
              label_nvidia_com_gpu_product: type.gpuModel.replace(/ /g, '-'),
              label_nvidia_com_gpu_count: type.gpuCount,
            }
          : {}),
      },
      1,
    );
    sink.gauge(ksm, 'kube_node_status_capacity', { ...n, resource: 'cpu', unit: 'core' }, type.vcpu);
    sink.gauge(ksm, 'kube_node_status_capacity', { ...n, resource: 'memory', unit: 'byte' }, type.memoryGiB * GiB);
    const sharing = node.gpuSharing;
    if (type.gpuCount > 0 && sharing?.mode === 'mig') {
      const byProfile = new Map<string, number>();
      for (const i of migInstancesOf(node)) byProfile.set(i.profile, (byProfile.get(i.profile) ?? 0) + 1);
      for (const [profile, count] of byProfile) {
        sink.gauge(
          ksm,
          'kube_node_status_capacity',
          { ...n, resource: `nvidia_com_mig_${profile.replace('.', '_')}`, unit: 'integer' },
          count,
        );
      }
    } else if (type.gpuCount > 0) {
      const sliced = sharing?.mode === 'time-slicing' ? sharing : undefined;
      sink.gauge(
        ksm,
        'kube_node_status_capacity',
        {
          ...n,
          resource: sliced ? 'nvidia_com_gpu_shared' : 'nvidia_com_gpu',
          unit: 'integer',
        },
        sliced ? type.gpuCount * sliced.replicasPerGpu : type.gpuCount,
      );
    }
  }
  for (let i = nodesFrom; i < sink.samples.length; i++) sink.samples[i]!.slow = true;
  for (const d of state.deployments) {
    const id = { namespace: d.namespace, deployment: d.name };
    sink.gauge(ksm, 'kube_deployment_spec_replicas', id, d.specReplicas);
    sink.gauge(ksm, 'kube_deployment_status_replicas_available', id, d.availableReplicas);
    sink.gauge(ksm, 'kube_deployment_status_replicas_ready', id, d.readyReplicas);
    sink.gauge(ksm, 'kube_deployment_status_replicas_updated', id, d.updatedReplicas);
  }
  for (const j of state.jobs) {
    const id = { namespace: j.namespace, job_name: j.name };
    sink.gauge(ksm, 'kube_job_status_active', id, j.active);
    sink.gauge(ksm, 'kube_job_status_succeeded', id, j.succeeded);
    sink.gauge(ksm, 'kube_job_status_failed', id, j.failed);
    sink.gauge(ksm, 'kube_job_status_start_time', id, Math.floor(j.startMs / 1000));
  }
}

/** Argo Workflows 3.5 controller metrics. */
export function argoSamples(state: ClusterState, sink: SampleSink): void {
  for (const status of workflowPhases) {
    sink.gauge('argo', 'argo_workflows_count', { status }, state.workflows.filter((w) => w.phase === status).length);
  }
  const stepPods = state.pods.filter((p) => p.role.kind === 'step');
  for (const status of ['Pending', 'Running'] as const) {
    sink.gauge('argo', 'argo_workflows_pods_count', { status }, stepPods.filter((p) => p.phase === status).length);
  }
}

function internalIp(nodeName: string): string {
  const m = /^ip-(\d+)-(\d+)-(\d+)-(\d+)/.exec(nodeName);
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4]}` : '10.0.0.1';
}
