// Node objects as EKS and NVIDIA's GPU operator (feature discovery, device plugin) present them:
// instance and zone labels, GPU product labels, whole, time-sliced or MIG extended resources.
import { instanceTypes, migInstancesOf, migResourceName, type NodeSpec } from '../../topology.ts';
import type { KubeObject } from '../store.ts';
import { bytesQuantity, cpuQuantity, isoSeconds } from '../util.ts';
import type { ControllerContext } from './context.ts';

const dayMs = 86_400_000;

function nodeIp(node: NodeSpec): string {
  const m = /^ip-(\d+)-(\d+)-(\d+)-(\d+)/.exec(node.name);
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4]}` : '10.0.0.1';
}

/** GPU product label as NVIDIA's GPU feature discovery writes it (spaces become dashes). */
export function gpuProduct(model: string): string {
  return model.replace(/\s+/g, '-');
}

export function nodeObject(ctx: ControllerContext, node: NodeSpec, index: number): KubeObject {
  const type = instanceTypes[node.instanceType];
  const sliced = node.gpuSharing?.mode === 'time-slicing' ? node.gpuSharing : undefined;
  const slices = sliced ? type.gpuCount * sliced.replicasPerGpu : 0;
  const mig = migInstancesOf(node);
  const GiB = 1024 ** 3;
  const capacity: Record<string, string> = {
    cpu: String(type.vcpu),
    memory: `${type.memoryGiB * 1024 * 1024}Ki`,
    pods: '110',
    'ephemeral-storage': '104845292Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
  };
  // Allocatable leaves room for the kubelet and system daemons, as EKS reserves it.
  const allocatable: Record<string, string> = {
    ...capacity,
    cpu: cpuQuantity(type.vcpu - 0.11 - Math.min(0.4, type.vcpu * 0.01)),
    memory: bytesQuantity(type.memoryGiB * GiB - Math.round(type.memoryGiB * GiB * 0.03)),
    'ephemeral-storage': '95551679124',
  };
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': node.instanceType,
    'node.kubernetes.io/instance-type': node.instanceType,
    'topology.kubernetes.io/zone': node.zone,
    'topology.kubernetes.io/region': ctx.spec.region,
    'eks.amazonaws.com/capacityType': node.pricing === 'spot' ? 'SPOT' : 'ON_DEMAND',
    'karpenter.sh/capacity-type': node.pricing === 'spot' ? 'spot' : 'on-demand',
    'eks.amazonaws.com/nodegroup': type.gpuCount > 0 ? `gpu-${node.instanceType.split('.')[0]}` : 'system',
    'burnrate.dev/pricing': node.pricing,
  };
  if (type.gpuModel) {
    labels['nvidia.com/gpu.product'] = gpuProduct(type.gpuModel) + (sliced ? '-SHARED' : '');
    labels['nvidia.com/gpu.count'] = String(type.gpuCount);
    labels['nvidia.com/gpu.memory'] = String(type.gpuMemoryMiB);
    labels['nvidia.com/gpu.present'] = 'true';
    if (sliced) {
      labels['nvidia.com/gpu.replicas'] = String(sliced.replicasPerGpu);
      labels['nvidia.com/gpu.sharing-strategy'] = 'time-slicing';
    }
    capacity['nvidia.com/gpu'] = String(node.gpuSharing ? 0 : type.gpuCount);
    allocatable['nvidia.com/gpu'] = capacity['nvidia.com/gpu'];
    if (sliced) {
      capacity['nvidia.com/gpu.shared'] = String(slices);
      allocatable['nvidia.com/gpu.shared'] = String(slices);
    }
    if (mig.length > 0) {
      labels['nvidia.com/mig.strategy'] = 'mixed';
      labels['nvidia.com/mig.config'] = 'custom-config';
      labels['nvidia.com/mig.config.state'] = 'success';
      for (const i of mig) {
        const key = migResourceName(i.profile);
        capacity[key] = String(Number(capacity[key] ?? 0) + 1);
        allocatable[key] = capacity[key];
      }
    }
  }
  const since = isoSeconds(Math.floor(ctx.now() / dayMs) * dayMs - 30 * dayMs + index * 60_000);
  const condition = (type: string, status: string, reason: string, message: string): object => ({
    type,
    status,
    lastHeartbeatTime: since,
    lastTransitionTime: since,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels,
      creationTimestamp: since,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { providerID: node.providerID, podCIDR: `10.${ctx.spec.name === 'us-east-prod' ? 101 : 102}.${index}.0/24` },
    status: {
      capacity,
      allocatable,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: nodeIp(node) },
        { type: 'Hostname', address: node.name },
        { type: 'InternalDNS', address: node.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: node.instanceId.replace('i-', 'ec2'),
        systemUUID: `ec2${node.instanceId.slice(2)}`,
        bootID: node.instanceId,
        kernelVersion: '6.1.112-124.190.amzn2023.x86_64',
        osImage: 'Amazon Linux 2023.6.20241031',
        containerRuntimeVersion: 'containerd://1.7.23',
        kubeletVersion: 'v1.32.4-eks-1d4ddd2',
        kubeProxyVersion: 'v1.32.4-eks-1d4ddd2',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
