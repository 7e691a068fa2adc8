// The cluster as it stands before the simulation starts: namespaces, nodes, DaemonSets and the
// Deployments and Knative Services of the topology.
import {
  type ContainerSpec,
  migResourceName,
  type NamespaceSpec,
  podLabels,
  type ServiceWorkload,
  type ServingWorkload,
} from '../../topology.ts';
import { applyDefaults } from '../admission.ts';
import { resourceByKey } from '../resources.ts';
import type { KubeObject } from '../store.ts';
import { bytesQuantity, cpuQuantity, isoSeconds } from '../util.ts';
import type { ControllerContext } from './context.ts';
import { daemonSetObject } from './daemonsets.ts';
import { gpuProduct, nodeObject } from './nodes.ts';
import { demoAnnotations } from './pods.ts';

const dayMs = 86_400_000;

/** A container's resources in Kubernetes form; GPUs (extended resources) go in limits too. */
export function containerResources(container: ContainerSpec): object {
  const requests: Record<string, string> = {
    cpu: cpuQuantity(container.cpuRequestCores),
    memory: bytesQuantity(container.memoryRequestBytes),
  };
  const limits: Record<string, string> = { memory: bytesQuantity(container.memoryRequestBytes) };
  const gpu = container.gpu;
  if (gpu?.kind === 'whole') requests['nvidia.com/gpu'] = limits['nvidia.com/gpu'] = String(gpu.count);
  if (gpu?.kind === 'time-sliced')
    requests['nvidia.com/gpu.shared'] = limits['nvidia.com/gpu.shared'] = String(gpu.slices);
  if (gpu?.kind === 'mig')
    requests[migResourceName(gpu.profile)] = limits[migResourceName(gpu.profile)] = String(gpu.count);
  return { requests, limits };
}

/** Pods pinned to a GPU model select nodes by the product label GPU feature discovery writes. */
export function nodeSelectorFor(container: ContainerSpec): { nodeSelector?: Record<string, string> } {
  const gpu = container.gpu;
  return gpu?.kind === 'whole' && gpu.model
    ? { nodeSelector: { 'nvidia.com/gpu.product': gpuProduct(gpu.model) } }
    : {};
}

/** Pod labels of a workload: its name and team (as the demo reads it, and as a plain `team` label). */
export function workloadLabels(name: string, team: string | undefined): Record<string, string> {
  return { [podLabels.workload]: name, ...(team ? { [podLabels.team]: team, [podLabels.plainTeam]: team } : {}) };
}

function servingContainer(w: ServingWorkload, name: string): object {
  const args =
    w.server === 'vllm'
      ? { args: ['--model', w.model ?? '', '--port', '8000', '--gpu-memory-utilization', '0.90'] }
      : {};
  return {
    name,
    image: w.container.image,
    ...args,
    ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }],
    resources: containerResources(w.container),
    readinessProbe: {
      httpGet: { path: w.server === 'vllm' ? '/health' : '/ready', port: 8000, scheme: 'HTTP' },
      periodSeconds: 5,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
  };
}

export function deploymentObject(ctx: ControllerContext, w: ServingWorkload, createdAtMs: number): KubeObject {
  const labels = workloadLabels(w.name, w.team);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.name, namespace: w.namespace, labels, creationTimestamp: isoSeconds(createdAtMs) },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { [podLabels.workload]: w.name } },
      template: {
        metadata: {
          labels,
          annotations: {
            [demoAnnotations.startupSeconds]: String(w.startupSeconds),
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': '8000',
          },
        },
        spec: {
          containers: [servingContainer(w, w.server === 'vllm' ? 'vllm' : 'server')],
          ...nodeSelectorFor(w.container),
        },
      },
    },
  };
}

/** A Deployment of a CPU service, notebook or cluster add-on. */
export function serviceDeploymentObject(w: ServiceWorkload, createdAtMs: number): KubeObject {
  const labels = workloadLabels(w.name, w.team);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.name, namespace: w.namespace, labels, creationTimestamp: isoSeconds(createdAtMs) },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: { [podLabels.workload]: w.name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: w.name, image: w.container.image, resources: containerResources(w.container) }],
          ...nodeSelectorFor(w.container),
        },
      },
    },
  };
}

export function knativeServiceObject(w: ServingWorkload, createdAtMs: number): KubeObject {
  const labels = workloadLabels(w.name, w.team);
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
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
        spec: {
          containerConcurrency: 0,
          timeoutSeconds: 300,
          containers: [servingContainer(w, 'user-container')],
          ...nodeSelectorFor(w.container),
        },
      },
      traffic: [{ latestRevision: true, percent: 100 }],
    },
  };
}

function namespaceObject(ns: NamespaceSpec, createdAt: string): KubeObject {
  const labels = { 'kubernetes.io/metadata.name': ns.name, ...(ns.team ? { [podLabels.plainTeam]: ns.team } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns.name, creationTimestamp: createdAt, labels },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** Creates namespaces, nodes, DaemonSets, Deployments and Knative Services (their controllers do the rest). */
export function seedCluster(ctx: ControllerContext): void {
  const base = Math.floor(ctx.now() / dayMs) * dayMs - 30 * dayMs;
  for (const ns of ctx.spec.namespaces) ctx.store.create('namespaces', namespaceObject(ns, isoSeconds(base)));
  ctx.spec.nodes.forEach((node, i) => ctx.store.create('nodes', nodeObject(ctx, node, i + 1)));
  for (const ds of ctx.spec.daemonSets) ctx.store.create('daemonsets.apps', daemonSetObject(ds, base));
  const workloadsSince = ctx.now() - 14 * dayMs;
  for (const w of ctx.spec.services) {
    const obj = serviceDeploymentObject(w, workloadsSince);
    applyDefaults(resourceByKey('deployments.apps'), obj);
    ctx.store.create('deployments.apps', obj);
  }
  for (const w of ctx.spec.serving) {
    const key = w.kind === 'Deployment' ? 'deployments.apps' : 'services.serving.knative.dev';
    const obj =
      w.kind === 'Deployment' ? deploymentObject(ctx, w, workloadsSince) : knativeServiceObject(w, workloadsSince);
    applyDefaults(resourceByKey(key), obj);
    ctx.store.create(key, obj);
  }
}
