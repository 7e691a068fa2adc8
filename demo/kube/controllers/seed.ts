// The cluster as it stands before the simulation starts: namespaces, nodes and the serving
// workloads of the topology.
import { type ContainerSpec, instanceTypes, type NodeSpec, podLabels, type ServingWorkload } from '../../topology.ts';
import { applyDefaults } from '../admission.ts';
import { resourceByKey } from '../resources.ts';
import type { KubeObject } from '../store.ts';
import { bytesQuantity, cpuQuantity, isoSeconds } from '../util.ts';
import type { ControllerContext } from './context.ts';
import { demoAnnotations } from './pods.ts';

const dayMs = 86_400_000;

function nodeIp(node: NodeSpec): string {
  const m = /^ip-(\d+)-(\d+)-(\d+)-(\d+)/.exec(node.name);
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4]}` : '10.0.0.1';
}

/** GPU product label as NVIDIA's GPU feature discovery writes it (spaces become dashes). */
function gpuProduct(model: string): string {
  return model.replace(/\s+/g, '-');
}

export function nodeObject(ctx: ControllerContext, node: NodeSpec, index: number): KubeObject {
  const type = instanceTypes[node.instanceType];
  const slices = node.gpuSharing ? type.gpuCount * node.gpuSharing.replicasPerGpu : 0;
  const GiB = 1024 ** 3;
  const capacity: Record<string, string> = {
    cpu: String(type.vcpu), memory: `${type.memoryGiB * 1024 * 1024}Ki`, pods: '110',
    'ephemeral-storage': '104845292Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0',
  };
  // Allocatable leaves room for the kubelet and system daemons, as EKS reserves it.
  const allocatable: Record<string, string> = {
    ...capacity, cpu: cpuQuantity(type.vcpu - 0.11 - Math.min(0.4, type.vcpu * 0.01)),
    memory: bytesQuantity(type.memoryGiB * GiB - Math.round(type.memoryGiB * GiB * 0.03)), 'ephemeral-storage': '95551679124',
  };
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': node.instanceType, 'node.kubernetes.io/instance-type': node.instanceType,
    'topology.kubernetes.io/zone': node.zone, 'topology.kubernetes.io/region': ctx.spec.region,
    'eks.amazonaws.com/capacityType': 'ON_DEMAND',
    'eks.amazonaws.com/nodegroup': type.gpuCount > 0 ? `gpu-${node.instanceType.split('.')[0]}` : 'system',
    'burnrate.dev/pricing': node.pricing,
  };
  if (type.gpuModel) {
    labels['nvidia.com/gpu.product'] = gpuProduct(type.gpuModel) + (node.gpuSharing ? '-SHARED' : '');
    labels['nvidia.com/gpu.count'] = String(type.gpuCount);
    labels['nvidia.com/gpu.memory'] = String(type.gpuMemoryMiB);
    labels['nvidia.com/gpu.present'] = 'true';
    if (node.gpuSharing) {
      labels['nvidia.com/gpu.replicas'] = String(node.gpuSharing.replicasPerGpu);
      labels['nvidia.com/gpu.sharing-strategy'] = 'time-slicing';
    }
    capacity['nvidia.com/gpu'] = String(node.gpuSharing ? 0 : type.gpuCount);
    allocatable['nvidia.com/gpu'] = capacity['nvidia.com/gpu'];
    if (node.gpuSharing) {
      capacity['nvidia.com/gpu.shared'] = String(slices);
      allocatable['nvidia.com/gpu.shared'] = String(slices);
    }
  }
  const since = isoSeconds(Math.floor(ctx.now() / dayMs) * dayMs - 30 * dayMs + index * 60_000);
  const condition = (type: string, status: string, reason: string, message: string): object => ({
    type, status, lastHeartbeatTime: since, lastTransitionTime: since, reason, message,
  });
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: node.name, labels, creationTimestamp: since,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { providerID: node.providerID, podCIDR: `10.${ctx.spec.name === 'us-east-prod' ? 101 : 102}.${index}.0/24` },
    status: {
      capacity, allocatable,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [{ type: 'InternalIP', address: nodeIp(node) }, { type: 'Hostname', address: node.name }, { type: 'InternalDNS', address: node.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: node.instanceId.replace('i-', 'ec2'), systemUUID: `ec2${node.instanceId.slice(2)}`, bootID: node.instanceId,
        kernelVersion: '6.1.112-124.190.amzn2023.x86_64', osImage: 'Amazon Linux 2023.6.20241031',
        containerRuntimeVersion: 'containerd://1.7.23', kubeletVersion: 'v1.32.4-eks-1d4ddd2', kubeProxyVersion: 'v1.32.4-eks-1d4ddd2',
        operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}

/** A container's resources in Kubernetes form; GPUs (extended resources) go in limits too. */
export function containerResources(container: ContainerSpec): object {
  const requests: Record<string, string> = { cpu: cpuQuantity(container.cpuRequestCores), memory: bytesQuantity(container.memoryRequestBytes) };
  const limits: Record<string, string> = { memory: bytesQuantity(container.memoryRequestBytes) };
  if (container.gpu?.kind === 'whole') requests['nvidia.com/gpu'] = limits['nvidia.com/gpu'] = String(container.gpu.count);
  if (container.gpu?.kind === 'time-sliced') requests['nvidia.com/gpu.shared'] = limits['nvidia.com/gpu.shared'] = String(container.gpu.slices);
  return { requests, limits };
}

export function workloadLabels(name: string, team: string): Record<string, string> {
  return { [podLabels.workload]: name, [podLabels.team]: team };
}

function servingContainer(w: ServingWorkload, name: string): object {
  const args = w.server === 'vllm'
    ? { args: ['--model', w.model ?? '', '--port', '8000', '--gpu-memory-utilization', '0.90'] }
    : {};
  return {
    name, image: w.container.image, ...args, ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }],
    resources: containerResources(w.container),
    readinessProbe: { httpGet: { path: w.server === 'vllm' ? '/health' : '/ready', port: 8000, scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
  };
}

export function deploymentObject(ctx: ControllerContext, w: ServingWorkload, createdAtMs: number): KubeObject {
  const labels = workloadLabels(w.name, w.team);
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: w.name, namespace: w.namespace, labels, creationTimestamp: isoSeconds(createdAtMs) },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { [podLabels.workload]: w.name } },
      template: {
        metadata: {
          labels,
          annotations: { [demoAnnotations.startupSeconds]: String(w.startupSeconds), 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8000' },
        },
        spec: { containers: [servingContainer(w, w.server === 'vllm' ? 'vllm' : 'server')] },
      },
    },
  };
}

export function knativeServiceObject(w: ServingWorkload, createdAtMs: number): KubeObject {
  const labels = workloadLabels(w.name, w.team);
  return {
    apiVersion: 'serving.knative.dev/v1', kind: 'Service',
    metadata: { name: w.name, namespace: w.namespace, labels, creationTimestamp: isoSeconds(createdAtMs) },
    spec: {
      template: {
        metadata: {
          labels,
          annotations: {
            'autoscaling.knative.dev/min-scale': String(w.minScale ?? 0),
            'autoscaling.knative.dev/max-scale': String(w.maxScale ?? 1),
            'autoscaling.knative.dev/target': String(Math.max(1, Math.round(w.rpsPerReplica))),
            'autoscaling.knative.dev/metric': 'rps',
            [demoAnnotations.startupSeconds]: String(w.startupSeconds),
          },
        },
        spec: { containerConcurrency: 0, timeoutSeconds: 300, containers: [servingContainer(w, 'user-container')] },
      },
      traffic: [{ latestRevision: true, percent: 100 }],
    },
  };
}

function namespaceObject(name: string, createdAt: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, creationTimestamp: createdAt, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
  };
}

/** Creates namespaces, nodes, Deployments and Knative Services (their controllers do the rest). */
export function seedCluster(ctx: ControllerContext): void {
  const base = Math.floor(ctx.now() / dayMs) * dayMs - 30 * dayMs;
  for (const ns of ctx.spec.namespaces) ctx.store.create('namespaces', namespaceObject(ns, isoSeconds(base)));
  ctx.spec.nodes.forEach((node, i) => ctx.store.create('nodes', nodeObject(ctx, node, i + 1)));
  const workloadsSince = ctx.now() - 14 * dayMs;
  for (const w of ctx.spec.serving) {
    const key = w.kind === 'Deployment' ? 'deployments.apps' : 'services.serving.knative.dev';
    const obj = w.kind === 'Deployment' ? deploymentObject(ctx, w, workloadsSince) : knativeServiceObject(w, workloadsSince);
    applyDefaults(resourceByKey(key), obj);
    ctx.store.create(key, obj);
  }
}
