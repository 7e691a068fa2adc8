// The scheduler and the kubelets: pods are placed on nodes with free CPU, memory and GPUs
// (devices recorded in an annotation), pulled, started, made Ready after their startup time,
// finished when their run ends, and removed after graceful termination.
import { instanceTypes } from '../../topology.ts';
import type { KubeObject } from '../store.ts';
import { isoSeconds, parseQuantity, parseTimeMs } from '../util.ts';
import { type ControllerContext, recordEvent } from './context.ts';
import { createdMs, demoAnnotations, isReady, isTerminal, podRequests, type PodRequests } from './pods.ts';

const pullMsMax = 8_000;
const terminationMs = 2_000;
const defaultStartupSeconds = 5;

interface NodeState {
  node: KubeObject;
  cpuFree: number;
  memoryFree: number;
  gpusFree: number[];
  slicesUsed: number[];
  slicesPerGpu: number;
  gpuCount: number;
  nextIp: number;
  allocatableCpu: number;
}

function nodeStates(ctx: ControllerContext, pods: KubeObject[]): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  const specs = new Map(ctx.spec.nodes.map((n) => [n.name, n]));
  for (const node of ctx.store.list('nodes')) {
    const spec = specs.get(node.metadata.name);
    const gpuCount = spec ? instanceTypes[spec.instanceType].gpuCount : parseQuantity(node.status?.capacity?.['nvidia.com/gpu']);
    const shared = parseQuantity(node.status?.allocatable?.['nvidia.com/gpu.shared']);
    const whole = parseQuantity(node.status?.allocatable?.['nvidia.com/gpu']);
    states.set(node.metadata.name, {
      node, gpuCount,
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
    const indexes = String(pod.metadata.annotations?.[demoAnnotations.gpuIndexes] ?? '').split(',').filter(Boolean).map(Number);
    if (req.gpus > 0) state.gpusFree = state.gpusFree.filter((i) => !indexes.includes(i));
    if (req.gpuSlices > 0) for (const i of indexes) state.slicesUsed[i] = (state.slicesUsed[i] ?? 0) + req.gpuSlices;
    const ipTail = Number(String(pod.status?.podIP ?? '').split('.')[3] ?? 0);
    state.nextIp = Math.max(state.nextIp, ipTail + 1);
  }
  return states;
}

/** Devices for the pod on this node, or the reason it does not fit. */
function fit(state: NodeState, pod: KubeObject, req: PodRequests): { devices: number[] } | { reason: string } {
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  if (Object.keys(selector).length > 0 && Object.entries(selector).some(([k, v]) => state.node.metadata.labels?.[k] !== v)) return { reason: "node(s) didn't match Pod's node affinity/selector" };
  if (state.node.spec?.unschedulable) return { reason: 'node(s) were unschedulable' };
  if (req.cpuCores > state.cpuFree + 1e-9) return { reason: 'Insufficient cpu' };
  if (req.memoryBytes > state.memoryFree) return { reason: 'Insufficient memory' };
  if (req.gpus > 0) {
    if (state.gpusFree.length < req.gpus) return { reason: 'Insufficient nvidia.com/gpu' };
    return { devices: state.gpusFree.slice(0, req.gpus) };
  }
  if (req.gpuSlices > 0) {
    const candidates = state.slicesUsed
      .map((used, index) => ({ used, index }))
      .filter((d) => d.used + req.gpuSlices <= state.slicesPerGpu)
      .sort((a, b) => a.used - b.used || a.index - b.index);
    const best = candidates[0];
    if (!best) return { reason: 'Insufficient nvidia.com/gpu.shared' };
    return { devices: [best.index] };
  }
  return { devices: [] };
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

function schedule(ctx: ControllerContext, pod: KubeObject, states: Map<string, NodeState>, order: NodeState[]): void {
  const req = podRequests(pod);
  const wantsGpu = req.gpus > 0 || req.gpuSlices > 0;
  const reasons = new Map<string, number>();
  let best: { state: NodeState; devices: number[]; score: number } | undefined;
  const toFind = feasibleNodesToFind(order.length);
  const start = toFind < order.length ? nextStartNodeIndex.get(ctx) ?? 0 : 0;
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
    if (!best || score > best.score + 1e-9) best = { state, devices: result.devices, score };
  }
  if (toFind < order.length) nextStartNodeIndex.set(ctx, (start + visited) % order.length);
  const at = isoSeconds(ctx.now());
  if (!best) {
    const detail = [...reasons].sort().map(([reason, n]) => `${n} ${reason}`).join(', ');
    const message = `0/${states.size} nodes are available: ${detail}. preemption: 0/${states.size} nodes are available: ${states.size} No preemption victims found for incoming pod.`;
    const existing = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
    if (existing?.message === message) return;
    ctx.store.update('pods', { ...pod, status: { ...pod.status, phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: at }] } });
    recordEvent(ctx, { kind: 'Pod', apiVersion: 'v1', object: pod }, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' });
    return;
  }
  const { state, devices } = best;
  state.cpuFree -= req.cpuCores;
  state.memoryFree -= req.memoryBytes;
  if (req.gpus > 0) state.gpusFree = state.gpusFree.filter((i) => !devices.includes(i));
  for (const i of req.gpuSlices > 0 ? devices : []) state.slicesUsed[i] = (state.slicesUsed[i] ?? 0) + req.gpuSlices;
  const nodeName = state.node.metadata.name;
  const hostIP = (state.node.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
  const annotations = { ...(pod.metadata.annotations ?? {}) };
  if (devices.length > 0) annotations[demoAnnotations.gpuIndexes] = devices.join(',');
  const scheduledAt = isoSeconds(Math.max(createdMs(pod), ctx.seeding ? createdMs(pod) : ctx.now()));
  const podIP = `${hostIP.split('.').slice(0, 2).join('.')}.${100 + Number(hostIP.split('.')[2] ?? 0)}.${state.nextIp++ % 250}`;
  ctx.store.update('pods', {
    ...pod,
    metadata: { ...pod.metadata, annotations },
    spec: { ...pod.spec, nodeName },
    status: {
      ...pod.status, phase: 'Pending', hostIP, hostIPs: [{ ip: hostIP }], podIP, podIPs: [{ ip: podIP }], startTime: scheduledAt,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: scheduledAt },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: scheduledAt },
      ],
      containerStatuses: (pod.spec?.containers ?? []).map((c: { name: string; image: string }) => ({
        name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } }, lastState: {},
      })),
    },
  });
  const involved = { kind: 'Pod', apiVersion: 'v1', object: pod };
  const eventAt = parseTimeMs(scheduledAt);
  recordEvent(ctx, involved, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`, { component: 'default-scheduler', atMs: eventAt });
  for (const c of pod.spec?.containers ?? []) {
    recordEvent(ctx, { ...involved, fieldPath: `spec.containers{${c.name}}` }, 'Normal', 'Pulling', `Pulling image "${c.image}"`, { component: 'kubelet', host: nodeName, atMs: eventAt });
  }
}

function startupMs(pod: KubeObject): number {
  const v = Number(pod.metadata.annotations?.[demoAnnotations.startupSeconds] ?? defaultStartupSeconds);
  return (Number.isFinite(v) ? v : defaultStartupSeconds) * 1000;
}

function conditionsAt(ready: boolean, startedAt: string, readyAt: string): object[] {
  return [
    { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
    { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: ready ? readyAt : startedAt, ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status' }) },
    { type: 'ContainersReady', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: ready ? readyAt : startedAt, ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status' }) },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
  ];
}

function runKubelet(ctx: ControllerContext, pod: KubeObject): void {
  const now = ctx.now();
  const node = pod.spec.nodeName as string;
  const involved = { kind: 'Pod', apiVersion: 'v1', object: pod };
  if (pod.metadata.deletionTimestamp) {
    const requested = (parseTimeMs(pod.metadata.deletionTimestamp) ?? now) - (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    if (now >= requested + terminationMs || isTerminal(pod)) {
      ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    } else if ((pod.status?.containerStatuses ?? []).some((c: { ready: boolean; state?: { running?: object } }) => c.ready || c.state?.running)) {
      for (const c of pod.spec?.containers ?? []) {
        recordEvent(ctx, { ...involved, fieldPath: `spec.containers{${c.name}}` }, 'Normal', 'Killing', `Stopping container ${c.name}`, { component: 'kubelet', host: node });
      }
      const at = isoSeconds(now);
      ctx.store.update('pods', {
        ...pod,
        status: {
          ...pod.status,
          conditions: (pod.status?.conditions ?? []).map((c: { type: string }) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', lastTransitionTime: at } : c)),
          containerStatuses: (pod.status?.containerStatuses ?? []).map((c: object) => ({ ...c, ready: false, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at } } })),
        },
      });
    }
    return;
  }
  if (isTerminal(pod)) return;
  const startMs = parseTimeMs(pod.status?.startTime) ?? createdMs(pod);
  const pullMs = Math.min(pullMsMax, startupMs(pod) / 3);
  const runUntil = parseTimeMs(pod.metadata.annotations?.[demoAnnotations.runUntil]);
  const startedAt = isoSeconds(startMs + pullMs);
  if (runUntil !== undefined && now >= runUntil) {
    const failReason = pod.metadata.annotations?.[demoAnnotations.failReason];
    const at = isoSeconds(runUntil);
    const oom = failReason === 'OOMKilled';
    ctx.store.update('pods', {
      ...pod,
      status: {
        ...pod.status, phase: failReason ? 'Failed' : 'Succeeded',
        conditions: conditionsAt(false, startedAt, at).map((c) => ({ ...c, reason: 'PodCompleted', message: undefined })),
        containerStatuses: (pod.status?.containerStatuses ?? []).map((c: object) => ({
          ...c, ready: false, started: false,
          state: { terminated: { exitCode: failReason ? (oom ? 137 : 1) : 0, reason: failReason ? (oom ? 'OOMKilled' : 'Error') : 'Completed', ...(failReason && !oom ? { message: failReason } : {}), startedAt, finishedAt: at } },
        })),
      },
    });
    if (failReason) {
      recordEvent(ctx, involved, 'Warning', 'Failed', `Error: container exited with ${oom ? 'OOMKilled (exit code 137)' : `exit code 1: ${failReason}`}`, { component: 'kubelet', host: node, atMs: runUntil });
    }
    return;
  }
  if (now < startMs + pullMs) return;
  const ready = now >= createdMs(pod) + startupMs(pod);
  const wasRunning = pod.status?.phase === 'Running';
  // Nothing to write for a running pod whose readiness holds (most of 30,000 pods on every pass).
  if (wasRunning && isReady(pod) === ready) return;
  const readyAt = isoSeconds(Math.max(startMs + pullMs, createdMs(pod) + startupMs(pod)));
  ctx.store.update('pods', {
    ...pod,
    status: {
      ...pod.status, phase: 'Running',
      conditions: conditionsAt(ready, startedAt, readyAt),
      containerStatuses: (pod.spec?.containers ?? []).map((c: { name: string; image: string }) => ({
        name: c.name, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${'0'.repeat(56)}${c.name.length.toString(16).padStart(8, '0')}`,
        containerID: `containerd://${(pod.metadata.uid ?? '').replace(/-/g, '')}${c.name.length}`,
        ready, started: true, restartCount: 0, state: { running: { startedAt } }, lastState: {},
      })),
    },
  });
  if (!wasRunning) {
    for (const c of pod.spec?.containers ?? []) {
      const fieldPath = `spec.containers{${c.name}}`;
      const atMs = startMs + pullMs;
      recordEvent(ctx, { ...involved, fieldPath }, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${(pullMs / 1000).toFixed(3)}s`, { component: 'kubelet', host: node, atMs });
      recordEvent(ctx, { ...involved, fieldPath }, 'Normal', 'Created', `Created container ${c.name}`, { component: 'kubelet', host: node, atMs });
      recordEvent(ctx, { ...involved, fieldPath }, 'Normal', 'Started', `Started container ${c.name}`, { component: 'kubelet', host: node, atMs });
    }
  }
}

export function reconcilePods(ctx: ControllerContext): void {
  const pods = ctx.store.list('pods');
  const states = nodeStates(ctx, pods);
  const order = [...states.values()];
  for (const pod of pods.sort((a, b) => createdMs(a) - createdMs(b))) {
    if (!pod.spec?.nodeName) {
      if (pod.metadata.deletionTimestamp) ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
      else schedule(ctx, pod, states, order);
    }
  }
  for (const pod of ctx.store.list('pods')) if (pod.spec?.nodeName) runKubelet(ctx, pod);
}
