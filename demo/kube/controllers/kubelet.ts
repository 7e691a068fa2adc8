// The kubelets: scheduled pods are pulled, started, made Ready after their startup time,
// finished when their run ends, and removed after graceful termination.
import type { KubeObject } from '../store.ts';
import { isoSeconds, parseTimeMs } from '../util.ts';
import { type ControllerContext, recordEvent } from './context.ts';
import { createdMs, demoAnnotations, isReady, isTerminal } from './pods.ts';
import { nodeStates, schedule } from './scheduler.ts';

const pullMsMax = 8_000;
const terminationMs = 2_000;
const defaultStartupSeconds = 5;

function startupMs(pod: KubeObject): number {
  const v = Number(pod.metadata.annotations?.[demoAnnotations.startupSeconds] ?? defaultStartupSeconds);
  return (Number.isFinite(v) ? v : defaultStartupSeconds) * 1000;
}

function conditionsAt(ready: boolean, startedAt: string, readyAt: string): object[] {
  return [
    { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
    {
      type: 'Ready',
      status: ready ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: ready ? readyAt : startedAt,
      ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status' }),
    },
    {
      type: 'ContainersReady',
      status: ready ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: ready ? readyAt : startedAt,
      ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status' }),
    },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: startedAt },
  ];
}

function runKubelet(ctx: ControllerContext, pod: KubeObject): void {
  const now = ctx.now();
  const node = pod.spec.nodeName as string;
  const involved = { kind: 'Pod', apiVersion: 'v1', object: pod };
  if (pod.metadata.deletionTimestamp) {
    const requested =
      (parseTimeMs(pod.metadata.deletionTimestamp) ?? now) - (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    if (now >= requested + terminationMs || isTerminal(pod)) {
      ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    } else if (
      (pod.status?.containerStatuses ?? []).some(
        (c: { ready: boolean; state?: { running?: object } }) => c.ready || c.state?.running,
      )
    ) {
      for (const c of pod.spec?.containers ?? []) {
        recordEvent(
          ctx,
          { ...involved, fieldPath: `spec.containers{${c.name}}` },
          'Normal',
          'Killing',
          `Stopping container ${c.name}`,
          { component: 'kubelet', host: node },
        );
      }
      const at = isoSeconds(now);
      ctx.store.update('pods', {
        ...pod,
        status: {
          ...pod.status,
          conditions: (pod.status?.conditions ?? []).map((c: { type: string }) =>
            c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False', lastTransitionTime: at } : c,
          ),
          containerStatuses: (pod.status?.containerStatuses ?? []).map((c: object) => ({
            ...c,
            ready: false,
            started: false,
            state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at } },
          })),
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
        ...pod.status,
        phase: failReason ? 'Failed' : 'Succeeded',
        conditions: conditionsAt(false, startedAt, at).map((c) => ({
          ...c,
          reason: 'PodCompleted',
          message: undefined,
        })),
        containerStatuses: (pod.status?.containerStatuses ?? []).map((c: object) => ({
          ...c,
          ready: false,
          started: false,
          state: {
            terminated: {
              exitCode: failReason ? (oom ? 137 : 1) : 0,
              reason: failReason ? (oom ? 'OOMKilled' : 'Error') : 'Completed',
              ...(failReason && !oom ? { message: failReason } : {}),
              startedAt,
              finishedAt: at,
            },
          },
        })),
      },
    });
    if (failReason) {
      recordEvent(
        ctx,
        involved,
        'Warning',
        'Failed',
        `Error: container exited with ${oom ? 'OOMKilled (exit code 137)' : `exit code 1: ${failReason}`}`,
        { component: 'kubelet', host: node, atMs: runUntil },
      );
    }
    return;
  }
  if (now < startMs + pullMs) return;
  const ready = now >= createdMs(pod) + startupMs(pod);
  const wasRunning = pod.status?.phase === 'Running';
  // A running pod whose readiness and images are as written needs no write (most pods, most passes).
  const containers: { image: string }[] = pod.spec?.containers ?? [];
  const statuses: { image: string }[] = pod.status?.containerStatuses ?? [];
  if (
    wasRunning &&
    isReady(pod) === ready &&
    statuses.length === containers.length &&
    statuses.every((c, i) => c.image === containers[i]?.image)
  )
    return;
  const readyAt = isoSeconds(Math.max(startMs + pullMs, createdMs(pod) + startupMs(pod)));
  ctx.store.update('pods', {
    ...pod,
    status: {
      ...pod.status,
      phase: 'Running',
      conditions: conditionsAt(ready, startedAt, readyAt),
      containerStatuses: (pod.spec?.containers ?? []).map((c: { name: string; image: string }) => ({
        name: c.name,
        image: c.image,
        imageID: `${c.image.split(':')[0]}@sha256:${'0'.repeat(56)}${c.name.length.toString(16).padStart(8, '0')}`,
        containerID: `containerd://${(pod.metadata.uid ?? '').replace(/-/g, '')}${c.name.length}`,
        ready,
        started: true,
        restartCount: 0,
        state: { running: { startedAt } },
        lastState: {},
      })),
    },
  });
  if (!wasRunning) {
    for (const c of pod.spec?.containers ?? []) {
      const fieldPath = `spec.containers{${c.name}}`;
      const atMs = startMs + pullMs;
      recordEvent(
        ctx,
        { ...involved, fieldPath },
        'Normal',
        'Pulled',
        `Successfully pulled image "${c.image}" in ${(pullMs / 1000).toFixed(3)}s`,
        { component: 'kubelet', host: node, atMs },
      );
      recordEvent(ctx, { ...involved, fieldPath }, 'Normal', 'Created', `Created container ${c.name}`, {
        component: 'kubelet',
        host: node,
        atMs,
      });
      recordEvent(ctx, { ...involved, fieldPath }, 'Normal', 'Started', `Started container ${c.name}`, {
        component: 'kubelet',
        host: node,
        atMs,
      });
    }
  }
}

export function reconcilePods(ctx: ControllerContext): void {
  const pods = [...ctx.store.listShared('pods')];
  const states = nodeStates(ctx, pods);
  for (const pod of pods.sort((a, b) => createdMs(a) - createdMs(b))) {
    if (!pod.spec?.nodeName) {
      if (pod.metadata.deletionTimestamp) ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
      else schedule(ctx, pod, states);
    }
  }
  for (const pod of ctx.store.listShared('pods')) if (pod.spec?.nodeName) runKubelet(ctx, pod);
}
