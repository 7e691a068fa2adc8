// The scheduler: pods without a node go to the node with room for their CPU, memory and GPUs
// (whole devices, time-sliced replicas or MIG instances, recorded in annotations), or stay
// Pending with the reason kube-scheduler gives.
import { instanceTypes, migInstancesOf } from '../../topology.ts';
import type { KubeObject } from '../store.ts';
import { isoSeconds, parseQuantity, parseTimeMs } from '../util.ts';
import { type ControllerContext, recordEvent } from './context.ts';
import { createdMs, demoAnnotations, isTerminal, podRequests, type PodRequests } from './pods.ts';

interface NodeState {
  node: KubeObject;
  cpuFree: number;
  memoryFree: number;
  gpusFree: number[];
  slicesUsed: number[];
  slicesPerGpu: number;
  gpuCount: number;
  /** Free MIG instances of the node, `<gpu>:<GPU_I_ID>` by profile. */
  migFree: Map<string, string[]>;
  nextIp: number;
  allocatableCpu: number;
}

function migInstancesOfPod(pod: KubeObject): string[] {
  return String(pod.metadata.annotations?.[demoAnnotations.migInstances] ?? '')
    .split(',')
    .filter(Boolean);
}

export function nodeStates(ctx: ControllerContext, pods: readonly KubeObject[]): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  const specs = new Map(ctx.spec.nodes.map((n) => [n.name, n]));
  for (const node of ctx.store.list('nodes')) {
    const spec = specs.get(node.metadata.name);
    const gpuCount = spec
      ? instanceTypes[spec.instanceType].gpuCount
      : parseQuantity(node.status?.capacity?.['nvidia.com/gpu']);
    const shared = parseQuantity(node.status?.allocatable?.['nvidia.com/gpu.shared']);
    const whole = parseQuantity(node.status?.allocatable?.['nvidia.com/gpu']);
    const migFree = new Map<string, string[]>();
    for (const i of spec ? migInstancesOf(spec) : [])
      migFree.set(i.profile, [...(migFree.get(i.profile) ?? []), `${i.gpu}:${i.instanceId}`]);
    states.set(node.metadata.name, {
      migFree,
      node,
      gpuCount,
      cpuFree: parseQuantity(node.status?.allocatable?.cpu),
      allocatableCpu: parseQuantity(node.status?.allocatable?.cpu) || 1,
      memoryFree: parseQuantity(node.status?.allocatable?.memory),
      gpusFree: Array.from({ length: whole }, (_, i) => i),
      slicesUsed: shared > 0 ? Array.from({ length: gpuCount }, () => 0) : [],
      slicesPerGpu: shared > 0 && gpuCount > 0 ? shared / gpuCount : 0,
      nextIp: 2,
    });
  }
  for (const pod of pods) {
    const state = pod.spec?.nodeName ? states.get(pod.spec.nodeName) : undefined;
    if (!state || isTerminal(pod)) continue;
    const req = podRequests(pod);
    state.cpuFree -= req.cpuCores;
    state.memoryFree -= req.memoryBytes;
    const indexes = String(pod.metadata.annotations?.[demoAnnotations.gpuIndexes] ?? '')
      .split(',')
      .filter(Boolean)
      .map(Number);
    if (req.gpus > 0) state.gpusFree = state.gpusFree.filter((i) => !indexes.includes(i));
    if (req.gpuSlices > 0) for (const i of indexes) state.slicesUsed[i] = (state.slicesUsed[i] ?? 0) + req.gpuSlices;
    const held = new Set(migInstancesOfPod(pod));
    if (held.size > 0)
      for (const [profile, free] of state.migFree)
        state.migFree.set(
          profile,
          free.filter((x) => !held.has(x)),
        );
    const ipTail = Number(String(pod.status?.podIP ?? '').split('.')[3] ?? 0);
    state.nextIp = Math.max(state.nextIp, ipTail + 1);
  }
  return states;
}

/** Devices for the pod on this node, or the reason it does not fit. */
interface Fit {
  devices: number[];
  /** MIG instances given, `<gpu>:<GPU_I_ID>`. */
  mig: string[];
}

function fit(state: NodeState, pod: KubeObject, req: PodRequests): Fit | { reason: string } {
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  if (
    Object.keys(selector).length > 0 &&
    Object.entries(selector).some(([k, v]) => state.node.metadata.labels?.[k] !== v)
  )
    return { reason: "node(s) didn't match Pod's node affinity/selector" };
  if (state.node.spec?.unschedulable) return { reason: 'node(s) were unschedulable' };
  if (req.cpuCores > state.cpuFree + 1e-9) return { reason: 'Insufficient cpu' };
  if (req.memoryBytes > state.memoryFree) return { reason: 'Insufficient memory' };
  if (req.gpus > 0) {
    if (state.gpusFree.length < req.gpus) return { reason: 'Insufficient nvidia.com/gpu' };
    return { devices: state.gpusFree.slice(0, req.gpus), mig: [] };
  }
  const migWanted = Object.entries(req.mig).filter(([, n]) => n > 0);
  if (migWanted.length > 0) {
    const mig: string[] = [];
    for (const [profile, n] of migWanted) {
      const free = state.migFree.get(profile) ?? [];
      if (free.length < n) return { reason: `Insufficient nvidia.com/mig-${profile}` };
      mig.push(...free.slice(0, n));
    }
    return { devices: [...new Set(mig.map((x) => Number(x.split(':')[0])))], mig };
  }
  if (req.gpuSlices > 0) {
    const candidates = state.slicesUsed
      .map((used, index) => ({ used, index }))
      .filter((d) => d.used + req.gpuSlices <= state.slicesPerGpu)
      .sort((a, b) => a.used - b.used || a.index - b.index);
    const best = candidates[0];
    if (!best) return { reason: 'Insufficient nvidia.com/gpu.shared' };
    return { devices: [best.index], mig: [] };
  }
  return { devices: [], mig: [] };
}

/**
 * kube-scheduler's percentageOfNodesToScore: past 100 nodes it stops once it has found
 * max(100, n × max(5, 50 − n/125) %) nodes that fit, starting where the last pod's search ended.
 */
function feasibleNodesToFind(nodeCount: number): number {
  if (nodeCount < 100) return nodeCount;
  return Math.max(100, Math.floor((nodeCount * Math.max(5, 50 - nodeCount / 125)) / 100));
}

/** Where each cluster's next search starts (always 0 below 100 nodes: every node is scored). */
const nextStartNodeIndex = new WeakMap<ControllerContext, number>();
const nodeOrder = new WeakMap<Map<string, NodeState>, NodeState[]>();

export function schedule(ctx: ControllerContext, pod: KubeObject, states: Map<string, NodeState>): void {
  const req = podRequests(pod);
  const wantsGpu = req.gpus > 0 || req.gpuSlices > 0 || Object.values(req.mig).some((n) => n > 0);
  const reasons = new Map<string, number>();
  let best: { state: NodeState; devices: number[]; mig: string[]; score: number } | undefined;
  let order = nodeOrder.get(states);
  if (!order) nodeOrder.set(states, (order = [...states.values()]));
  const toFind = feasibleNodesToFind(order.length);
  const start = toFind < order.length ? (nextStartNodeIndex.get(ctx) ?? 0) : 0;
  let found = 0;
  let visited = 0;
  for (; visited < order.length && found < toFind; visited++) {
    const state = order[(start + visited) % order.length]!;
    const result = fit(state, pod, req);
    if ('reason' in result) {
      reasons.set(result.reason, (reasons.get(result.reason) ?? 0) + 1);
      continue;
    }
    found++;
    // Keep CPU-only pods off GPU nodes when they can; otherwise spread (least allocated).
    const score = (!wantsGpu && state.gpuCount > 0 ? -10 : 0) + (state.cpuFree - req.cpuCores) / state.allocatableCpu;
    if (!best || score > best.score + 1e-9) best = { state, devices: result.devices, mig: result.mig, score };
  }
  if (toFind < order.length) nextStartNodeIndex.set(ctx, (start + visited) % order.length);
  const at = isoSeconds(ctx.now());
  if (!best) {
    const detail = [...reasons]
      .sort()
      .map(([reason, n]) => `${n} ${reason}`)
      .join(', ');
    const message = `0/${states.size} nodes are available: ${detail}. preemption: 0/${states.size} nodes are available: ${states.size} No preemption victims found for incoming pod.`;
    const existing = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
    if (existing?.message === message) return;
    ctx.store.update('pods', {
      ...pod,
      status: {
        ...pod.status,
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message,
            lastProbeTime: null,
            lastTransitionTime: at,
          },
        ],
      },
    });
    recordEvent(ctx, { kind: 'Pod', apiVersion: 'v1', object: pod }, 'Warning', 'FailedScheduling', message, {
      component: 'default-scheduler',
    });
    return;
  }
  const { state, devices, mig } = best;
  state.cpuFree -= req.cpuCores;
  state.memoryFree -= req.memoryBytes;
  if (req.gpus > 0) state.gpusFree = state.gpusFree.filter((i) => !devices.includes(i));
  for (const i of req.gpuSlices > 0 ? devices : []) state.slicesUsed[i] = (state.slicesUsed[i] ?? 0) + req.gpuSlices;
  for (const [profile, free] of state.migFree)
    state.migFree.set(
      profile,
      free.filter((x) => !mig.includes(x)),
    );
  const nodeName = state.node.metadata.name;
  const hostIP =
    (state.node.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
  const annotations = { ...(pod.metadata.annotations ?? {}) };
  if (devices.length > 0) annotations[demoAnnotations.gpuIndexes] = devices.join(',');
  if (mig.length > 0) annotations[demoAnnotations.migInstances] = mig.join(',');
  const scheduledAt = isoSeconds(Math.max(createdMs(pod), ctx.seeding ? createdMs(pod) : ctx.now()));
  const podIP = `${hostIP.split('.').slice(0, 2).join('.')}.${100 + Number(hostIP.split('.')[2] ?? 0)}.${state.nextIp++ % 250}`;
  ctx.store.update('pods', {
    ...pod,
    metadata: { ...pod.metadata, annotations },
    spec: { ...pod.spec, nodeName },
    status: {
      ...pod.status,
      phase: 'Pending',
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: scheduledAt,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: scheduledAt },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: scheduledAt },
      ],
      containerStatuses: (pod.spec?.containers ?? []).map((c: { name: string; image: string }) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
      })),
    },
  });
  const involved = { kind: 'Pod', apiVersion: 'v1', object: pod };
  const eventAt = parseTimeMs(scheduledAt);
  recordEvent(
    ctx,
    involved,
    'Normal',
    'Scheduled',
    `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`,
    { component: 'default-scheduler', atMs: eventAt },
  );
  for (const c of pod.spec?.containers ?? []) {
    recordEvent(
      ctx,
      { ...involved, fieldPath: `spec.containers{${c.name}}` },
      'Normal',
      'Pulling',
      `Pulling image "${c.image}"`,
      { component: 'kubelet', host: nodeName, atMs: eventAt },
    );
  }
}
