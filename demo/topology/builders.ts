// Helpers that build a cluster's parts from a few parameters, so that profiles of any size
// (the default two clusters, a thousand-node benchmark cluster) describe only what differs.
import { instanceTypes, type InstanceTypeName, type MigProfile } from './instances.ts';
import type { ContainerSpec, DaemonSetSpec, GpuRequest, NamespaceSpec, NodeSpec, ServiceWorkload } from './types.ts';

export const GiB = 1024 ** 3;

export interface NodePool {
  instanceType: InstanceTypeName;
  count: number;
  pricing: NodeSpec['pricing'];
  gpuSharing?: NodeSpec['gpuSharing'];
}

export interface NodeNaming {
  /** Second octet of the nodes' addresses (10.<octet>.x.x), one per cluster. */
  octet: number;
  region: string;
  /** Zone letters the nodes are spread over in turn. */
  zones: string[];
  /** Instance ids are this prefix plus the node's index in 4 hex digits (`i-0a1b2c3d4e5f6` + `0001`). */
  instanceIdPrefix: string;
}

/** EC2's private DNS name of a node; indexes past 245 move to the next /16 block. */
export function nodeName(naming: NodeNaming, zone: string, index: number): string {
  const block = Math.floor((index - 1) / 245);
  const i = ((index - 1) % 245) + 1;
  return `ip-10-${naming.octet + 100 * block}-${i}-${10 + i}.${zone.slice(0, -1)}.compute.internal`;
}

export function node(naming: NodeNaming, index: number, pool: Omit<NodePool, 'count'>, zone: string): NodeSpec {
  const instanceId = `${naming.instanceIdPrefix}${index.toString(16).padStart(4, '0')}`;
  return {
    name: nodeName(naming, zone, index),
    instanceType: pool.instanceType,
    zone,
    providerID: `aws:///${zone}/${instanceId}`,
    instanceId,
    pricing: pool.pricing,
    ...(pool.gpuSharing ? { gpuSharing: pool.gpuSharing } : {}),
  };
}

/** Nodes of several pools, numbered from `firstIndex` on and spread over the zones in turn. */
export function nodePools(naming: NodeNaming, pools: NodePool[], firstIndex = 1): NodeSpec[] {
  const out: NodeSpec[] = [];
  let index = firstIndex;
  for (const pool of pools) {
    for (let i = 0; i < pool.count; i++, index++) {
      const zone = `${naming.region}${naming.zones[(index - 1) % naming.zones.length]}`;
      out.push(node(naming, index, pool, zone));
    }
  }
  return out;
}

export function isGpuNode(n: NodeSpec): boolean {
  return instanceTypes[n.instanceType].gpuCount > 0;
}

export function container(image: string, cpuRequestCores: number, memoryGiB: number, gpu?: GpuRequest): ContainerSpec {
  return { image, cpuRequestCores, memoryRequestBytes: Math.round(memoryGiB * GiB), ...(gpu ? { gpu } : {}) };
}

export function service(
  namespace: string,
  team: string | undefined,
  name: string,
  replicas: number,
  spec: ContainerSpec,
  busyShare: number,
  gpuBusyShare?: number,
): ServiceWorkload {
  return {
    kind: 'Deployment',
    name,
    namespace,
    ...(team ? { team } : {}),
    container: spec,
    replicas,
    busyShare,
    ...(gpuBusyShare !== undefined ? { gpuBusyShare } : {}),
  };
}

const ecr = (region: string): string => `602401143452.dkr.ecr.${region}.amazonaws.com`;

/** The namespaces of every cluster: Kubernetes' own and those of the system DaemonSets and add-ons. */
export const systemNamespaces: readonly NamespaceSpec[] = [
  { name: 'default' },
  { name: 'kube-system' },
  { name: 'monitoring' },
  { name: 'amazon-cloudwatch' },
  { name: 'gpu-operator' },
];

/** The DaemonSets an EKS cluster with the GPU operator and this monitoring stack runs on its nodes. */
export function systemDaemonSets(region: string): DaemonSetSpec[] {
  const ds = (
    namespace: string,
    name: string,
    image: string,
    cpu: number,
    memGiB: number,
    gpuNodesOnly = false,
  ): DaemonSetSpec => ({
    name,
    namespace,
    container: container(image, cpu, memGiB),
    gpuNodesOnly,
  });
  return [
    ds('kube-system', 'kube-proxy', `${ecr(region)}/eks/kube-proxy:v1.32.0-minimal-eksbuild.2`, 0.1, 0.125),
    ds('kube-system', 'aws-node', `${ecr(region)}/amazon-k8s-cni:v1.19.2-eksbuild.1`, 0.025, 0.125),
    ds('kube-system', 'ebs-csi-node', `${ecr(region)}/eks/aws-ebs-csi-driver:v1.38.1`, 0.03, 0.12),
    ds('kube-system', 'eks-pod-identity-agent', `${ecr(region)}/eks/eks-pod-identity-agent:0.1.17`, 0.025, 0.05),
    ds('monitoring', 'node-exporter', 'quay.io/prometheus/node-exporter:v1.8.2', 0.1, 0.18),
    ds('monitoring', 'kepler', 'quay.io/sustainable_computing_io/kepler:release-0.7.12', 0.1, 0.4),
    ds('amazon-cloudwatch', 'fluent-bit', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4', 0.1, 0.2),
    ds('monitoring', 'dcgm-exporter', 'nvcr.io/nvidia/k8s/dcgm-exporter:3.3.9-3.6.1-ubuntu22.04', 0.1, 0.5, true),
    ds('gpu-operator', 'nvidia-device-plugin-daemonset', 'nvcr.io/nvidia/k8s-device-plugin:v0.17.0', 0.05, 0.1, true),
    ds('gpu-operator', 'gpu-feature-discovery', 'nvcr.io/nvidia/k8s-device-plugin:v0.17.0', 0.02, 0.05, true),
  ];
}

/** Cluster add-ons that run as Deployments: DNS, kube-state-metrics, the CSI controller, autoscaling. */
export function systemServices(region: string): ServiceWorkload[] {
  return [
    service(
      'kube-system',
      undefined,
      'coredns',
      2,
      container(`${ecr(region)}/eks/coredns:v1.11.4-eksbuild.2`, 0.1, 0.07),
      0.2,
    ),
    service(
      'kube-system',
      undefined,
      'ebs-csi-controller',
      2,
      container(`${ecr(region)}/eks/aws-ebs-csi-driver:v1.38.1`, 0.06, 0.24),
      0.1,
    ),
    service(
      'kube-system',
      undefined,
      'metrics-server',
      1,
      container('registry.k8s.io/metrics-server/metrics-server:v0.7.2', 0.1, 0.2),
      0.3,
    ),
    service(
      'kube-system',
      undefined,
      'karpenter',
      2,
      container('public.ecr.aws/karpenter/controller:1.1.1', 1, 1),
      0.15,
    ),
    service(
      'monitoring',
      undefined,
      'kube-state-metrics',
      1,
      container('registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.10.1', 0.1, 0.25),
      0.3,
    ),
  ];
}

/** Which nodes a DaemonSet runs on. */
export function daemonSetNodes(ds: DaemonSetSpec, nodes: NodeSpec[]): NodeSpec[] {
  return ds.gpuNodesOnly ? nodes.filter(isGpuNode) : nodes;
}

export interface MigInstance {
  gpu: number;
  /** GPU_I_ID as DCGM numbers GPU instances (1g from 7, 2g from 3, 3g and 4g from 1, 7g is 0). */
  instanceId: number;
  profile: MigProfile;
}

const firstInstanceId: Record<MigProfile, number> = {
  '1g.10gb': 7,
  '2g.20gb': 3,
  '3g.40gb': 1,
  '4g.40gb': 1,
  '7g.80gb': 0,
};

/** The MIG instances of a node (none unless its GPUs are partitioned). */
export function migInstancesOf(n: NodeSpec): MigInstance[] {
  if (n.gpuSharing?.mode !== 'mig') return [];
  return n.gpuSharing.layout.flatMap((profiles, gpu) => {
    const taken = new Map<MigProfile, number>();
    return profiles.map((profile) => {
      const k = taken.get(profile) ?? 0;
      taken.set(profile, k + 1);
      return { gpu, instanceId: firstInstanceId[profile] + k, profile };
    });
  });
}
