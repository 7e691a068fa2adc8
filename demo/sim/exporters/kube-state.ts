import type { ClusterSpec } from '../../topology.ts';
import { instanceTypes, migInstancesOf } from '../../topology.ts';
import type { ClusterState, PodPhase, WorkflowPhase } from '../cluster-state.ts';
import type { SampleSink } from '../samples.ts';

const podPhases: PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const workflowPhases: WorkflowPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Error'];
const GiB = 1024 ** 3;

/**
 * kube-state-metrics 2.10 with `--metric-labels-allowlist=pods=[app.kubernetes.io/name,burnrate.dev/team,team,
 * workflows.argoproj.io/workflow],namespaces=[team]`.
 */
export function kubeStateSamples(spec: ClusterSpec, state: ClusterState, sink: SampleSink): void {
  const ksm = 'kube-state-metrics';
  for (const ns of spec.namespaces) {
    sink.gauge(ksm, 'kube_namespace_labels', { namespace: ns.name, ...(ns.team ? { label_team: ns.team } : {}) }, 1);
  }
  for (const pod of state.pods) {
    const id = { namespace: pod.namespace, pod: pod.name, uid: pod.uid };
    sink.gauge(ksm, 'kube_pod_info', {
      ...id, node: pod.nodeName ?? '', created_by_kind: pod.ownerKind, created_by_name: pod.ownerName, priority_class: '',
    }, 1);
    sink.gauge(ksm, 'kube_pod_labels', {
      ...id, label_app_kubernetes_io_name: pod.workload,
      ...(pod.team ? { label_burnrate_dev_team: pod.team, label_team: pod.team } : {}),
      ...(pod.workflow ? { label_workflows_argoproj_io_workflow: pod.workflow } : {}),
    }, 1);
    sink.gauge(ksm, 'kube_pod_owner', { ...id, owner_kind: pod.ownerKind, owner_name: pod.ownerName, owner_is_controller: 'true' }, 1);
    for (const phase of podPhases) sink.gauge(ksm, 'kube_pod_status_phase', { ...id, phase }, pod.phase === phase ? 1 : 0);
    for (const condition of ['true', 'false', 'unknown']) {
      sink.gauge(ksm, 'kube_pod_status_ready', { ...id, condition }, (condition === 'true') === pod.ready && condition !== 'unknown' ? 1 : 0);
    }
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    const req = { namespace: pod.namespace, pod: pod.name, uid: pod.uid, container: pod.containerName, node: pod.nodeName ?? '' };
    sink.gauge(ksm, 'kube_pod_container_resource_requests', { ...req, resource: 'cpu', unit: 'core' }, pod.cpuRequestCores);
    sink.gauge(ksm, 'kube_pod_container_resource_requests', { ...req, resource: 'memory', unit: 'byte' }, pod.memoryRequestBytes);
    if (pod.gpuRequest > 0) {
      sink.gauge(ksm, 'kube_pod_container_resource_requests', { ...req, resource: pod.gpuResource, unit: 'integer' }, pod.gpuRequest);
    }
  }
  for (const node of spec.nodes) {
    const type = instanceTypes[node.instanceType];
    const n = { node: node.name };
    sink.gauge(ksm, 'kube_node_info', {
      ...n, provider_id: node.providerID, kernel_version: '6.1.112-124.190.amzn2023.x86_64',
      os_image: 'Amazon Linux 2023.6.20241121', container_runtime_version: 'containerd://1.7.23',
      kubelet_version: 'v1.31.2-eks-94953ac', internal_ip: internalIp(node.name),
    }, 1);
    sink.gauge(ksm, 'kube_node_labels', {
      ...n, label_node_kubernetes_io_instance_type: type.name, label_topology_kubernetes_io_zone: node.zone,
      label_topology_kubernetes_io_region: spec.region,
      label_eks_amazonaws_com_capacity_type: node.pricing === 'spot' ? 'SPOT' : 'ON_DEMAND',
      ...(type.gpuModel ? { label_nvidia_com_gpu_product: type.gpuModel.replace(/ /g, '-'), label_nvidia_com_gpu_count: type.gpuCount } : {}),
    }, 1);
    sink.gauge(ksm, 'kube_node_status_capacity', { ...n, resource: 'cpu', unit: 'core' }, type.vcpu);
    sink.gauge(ksm, 'kube_node_status_capacity', { ...n, resource: 'memory', unit: 'byte' }, type.memoryGiB * GiB);
    const sharing = node.gpuSharing;
    if (type.gpuCount > 0 && sharing?.mode === 'mig') {
      const byProfile = new Map<string, number>();
      for (const i of migInstancesOf(node)) byProfile.set(i.profile, (byProfile.get(i.profile) ?? 0) + 1);
      for (const [profile, count] of byProfile) {
        sink.gauge(ksm, 'kube_node_status_capacity', { ...n, resource: `nvidia_com_mig_${profile.replace('.', '_')}`, unit: 'integer' }, count);
      }
    } else if (type.gpuCount > 0) {
      const sliced = sharing?.mode === 'time-slicing' ? sharing : undefined;
      sink.gauge(ksm, 'kube_node_status_capacity', {
        ...n, resource: sliced ? 'nvidia_com_gpu_shared' : 'nvidia_com_gpu', unit: 'integer',
      }, sliced ? type.gpuCount * sliced.replicasPerGpu : type.gpuCount);
    }
  }
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
