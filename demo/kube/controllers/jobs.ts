// The nightly batch Jobs of the topology (as a CronJob would create them) and the Job
// controller: pods up to parallelism, completions counted, conditions set.
import { type BatchJob, podLabels } from '../../topology.ts';
import type { KubeObject } from '../store.ts';
import { isoSeconds, parseTimeMs, randomSuffix } from '../util.ts';
import { type ControllerContext, recordEvent } from './context.ts';
import { demoAnnotations, isActive, ownedBy, ownerRef } from './pods.ts';
import { containerResources, nodeSelectorFor, workloadLabels } from './seed.ts';

const dayMs = 86_400_000;
const keepDays = 3;
const defaultRunSeconds = 60;

export function jobRunName(job: BatchJob, startMs: number): string {
  return `${job.name}-${Math.floor(startMs / 60_000)}`;
}

function jobObject(job: BatchJob, startMs: number): KubeObject {
  const labels = { ...workloadLabels(job.name, job.team), 'batch.kubernetes.io/cronjob-name': job.name };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobRunName(job, startMs),
      namespace: job.namespace,
      labels,
      creationTimestamp: isoSeconds(startMs),
      annotations: {
        'batch.kubernetes.io/cronjob-scheduled-timestamp': isoSeconds(startMs),
        [demoAnnotations.runUntil]: isoSeconds(startMs + job.durationSeconds * 1000),
      },
    },
    spec: {
      parallelism: job.parallelism,
      completions: job.parallelism,
      backoffLimit: 2,
      completionMode: 'NonIndexed',
      template: {
        metadata: { labels: { ...labels }, annotations: { [demoAnnotations.startupSeconds]: '30' } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'embed',
              image: job.container.image,
              args: ['--shard-count', String(job.parallelism)],
              resources: containerResources(job.container),
            },
          ],
          ...nodeSelectorFor(job.container),
        },
      },
    },
  };
}

function completedStatus(startMs: number, endMs: number, succeeded: number, failed = 0): object {
  const end = isoSeconds(endMs);
  return {
    startTime: isoSeconds(startMs),
    completionTime: end,
    succeeded,
    failed,
    active: 0,
    ready: 0,
    terminating: 0,
    uncountedTerminatedPods: {},
    conditions: [
      {
        type: 'SuccessCriteriaMet',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
        lastProbeTime: end,
        lastTransitionTime: end,
      },
      {
        type: 'Complete',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
        lastProbeTime: end,
        lastTransitionTime: end,
      },
    ],
  };
}

/** Creates the runs of the last days (completed, without pods) and any run in progress now. */
export function seedJobs(ctx: ControllerContext, created: Set<string>): void {
  const now = ctx.now();
  for (const job of ctx.spec.jobs) {
    for (let d = keepDays; d >= 0; d--) {
      const startMs = (Math.floor(now / dayMs) - d) * dayMs + job.startHourUtc * 3600_000;
      if (startMs + job.durationSeconds * 1000 > now) continue;
      const obj = jobObject(job, startMs);
      created.add(obj.metadata.name);
      ctx.store.create('jobs.batch', {
        ...obj,
        status: completedStatus(startMs, startMs + job.durationSeconds * 1000, job.parallelism),
      });
    }
  }
}

function ensureScheduledRuns(ctx: ControllerContext, created: Set<string>): void {
  const now = ctx.now();
  for (const job of ctx.spec.jobs) {
    for (const day of [Math.floor(now / dayMs) - 1, Math.floor(now / dayMs)]) {
      const startMs = day * dayMs + job.startHourUtc * 3600_000;
      const name = jobRunName(job, startMs);
      if (now < startMs || now >= startMs + job.durationSeconds * 1000 || created.has(name)) continue;
      created.add(name);
      ctx.store.create('jobs.batch', jobObject(job, startMs));
    }
    const runs = ctx.store
      .list('jobs.batch', job.namespace)
      .filter((j) => j.metadata.labels?.['batch.kubernetes.io/cronjob-name'] === job.name)
      .sort(
        (a, b) => (parseTimeMs(a.metadata.creationTimestamp) ?? 0) - (parseTimeMs(b.metadata.creationTimestamp) ?? 0),
      );
    const finished = runs.filter((j) => j.status?.completionTime);
    for (const old of finished.slice(0, Math.max(0, finished.length - keepDays))) {
      ctx.store.delete('jobs.batch', old.metadata.namespace, old.metadata.name);
    }
  }
}

function reconcileJob(ctx: ControllerContext, job: KubeObject, pods: readonly KubeObject[]): void {
  if (job.status?.completionTime || job.spec?.suspend) return;
  const now = ctx.now();
  const owned = ownedBy(pods, job);
  const active = owned.filter(isActive);
  const succeeded = owned.filter((p) => p.status?.phase === 'Succeeded').length;
  const failed = owned.filter((p) => p.status?.phase === 'Failed').length;
  const completions: number = job.spec.completions ?? 1;
  const parallelism: number = job.spec.parallelism ?? 1;
  const involved = { kind: 'Job', apiVersion: 'batch/v1', object: job };
  const startMs =
    parseTimeMs(job.status?.startTime) ??
    parseTimeMs(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']) ??
    now;
  const wanted = Math.min(parallelism, completions - succeeded) - active.length;
  const runUntil = job.metadata.annotations?.[demoAnnotations.runUntil] ?? isoSeconds(now + defaultRunSeconds * 1000);
  const template = job.spec.template ?? {};
  const labels = {
    ...(template.metadata?.labels ?? {}),
    [podLabels.job]: job.metadata.name,
    'batch.kubernetes.io/job-name': job.metadata.name,
    'controller-uid': job.metadata.uid ?? '',
    'batch.kubernetes.io/controller-uid': job.metadata.uid ?? '',
  };
  for (let i = 0; i < wanted && failed <= (job.spec.backoffLimit ?? 6); i++) {
    const name = `${job.metadata.name}-${randomSuffix(ctx.random)}`;
    ctx.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${job.metadata.name}-`,
        namespace: job.metadata.namespace,
        labels,
        annotations: { ...(template.metadata?.annotations ?? {}), [demoAnnotations.runUntil]: runUntil },
        ownerReferences: [ownerRef(job)],
      },
      spec: structuredClone(template.spec ?? {}),
      status: { phase: 'Pending', qosClass: 'Burstable' },
    });
    recordEvent(ctx, involved, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, { component: 'job-controller' });
  }
  const fresh = ownedBy(ctx.store.listShared('pods'), job);
  const nowActive = fresh.filter(isActive);
  const done = succeeded >= completions;
  let status: object = {
    startTime: isoSeconds(startMs),
    active: nowActive.length,
    succeeded,
    failed,
    terminating: 0,
    ready: nowActive.filter((p) =>
      (p.status?.conditions ?? []).some(
        (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
      ),
    ).length,
    uncountedTerminatedPods: {},
  };
  if (done) {
    status = completedStatus(startMs, now, succeeded, failed);
    recordEvent(ctx, involved, 'Normal', 'Completed', 'Job completed', { component: 'job-controller' });
  }
  const latest = ctx.store.get('jobs.batch', job.metadata.namespace, job.metadata.name);
  if (latest) ctx.store.update('jobs.batch', { ...latest, status });
}

export function reconcileJobs(ctx: ControllerContext, created: Set<string>): void {
  ensureScheduledRuns(ctx, created);
  const pods = ctx.store.listShared('pods');
  for (const job of ctx.store.list('jobs.batch')) reconcileJob(ctx, job, pods);
}
