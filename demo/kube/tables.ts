// Server-side printing (meta.k8s.io/v1 Table), with the columns kubectl shows for each kind.
import type { ResourceInfo } from './resources.ts';
import { labelSelectorString } from './selectors.ts';
import type { KubeObject } from './store.ts';
import { humanDuration, parseTimeMs } from './util.ts';

interface Column {
  name: string;
  type: 'string' | 'integer';
  priority?: number;
  format?: string;
  cell: (obj: KubeObject, nowMs: number) => string | number;
}

function age(obj: KubeObject, nowMs: number): string {
  const created = parseTimeMs(obj.metadata.creationTimestamp);
  return created === undefined ? '<unknown>' : humanDuration(nowMs - created);
}

const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name };
const ageColumn: Column = { name: 'Age', type: 'string', cell: age };

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number }; running?: object };
}

export function podStatusText(pod: KubeObject): string {
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
  const statuses: ContainerStatus[] = pod.status?.containerStatuses ?? [];
  for (const cs of statuses) {
    if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason;
    else if (cs.state?.terminated?.reason) reason = cs.state.terminated.reason;
    else if (cs.state?.terminated) reason = `ExitCode:${cs.state.terminated.exitCode ?? 0}`;
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

function podReady(pod: KubeObject): string {
  const statuses: ContainerStatus[] = pod.status?.containerStatuses ?? [];
  const total = (pod.spec?.containers ?? []).length;
  return `${statuses.filter((c) => c.ready).length}/${total}`;
}

function containersOf(template: KubeObject['spec']): { names: string; images: string } {
  const containers: { name: string; image: string }[] = template?.spec?.containers ?? [];
  return { names: containers.map((c) => c.name).join(','), images: containers.map((c) => c.image).join(',') };
}

function condition(obj: KubeObject, type: string): { status?: string; reason?: string } | undefined {
  return (obj.status?.conditions ?? []).find((c: { type: string }) => c.type === type);
}

const columnsByKind: Record<string, Column[]> = {
  Pod: [
    nameColumn,
    { name: 'Ready', type: 'string', cell: podReady },
    { name: 'Status', type: 'string', cell: podStatusText },
    {
      name: 'Restarts',
      type: 'string',
      cell: (p) =>
        String(
          (p.status?.containerStatuses ?? []).reduce((s: number, c: ContainerStatus) => s + (c.restartCount ?? 0), 0),
        ),
    },
    ageColumn,
    { name: 'IP', type: 'string', priority: 1, cell: (p) => p.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (p) => p.spec?.nodeName ?? '<none>' },
    { name: 'Nominated Node', type: 'string', priority: 1, cell: () => '<none>' },
    { name: 'Readiness Gates', type: 'string', priority: 1, cell: () => '<none>' },
  ],
  Node: [
    nameColumn,
    {
      name: 'Status',
      type: 'string',
      cell: (n) =>
        (condition(n, 'Ready')?.status === 'True' ? 'Ready' : 'NotReady') +
        (n.spec?.unschedulable ? ',SchedulingDisabled' : ''),
    },
    { name: 'Roles', type: 'string', cell: () => '<none>' },
    ageColumn,
    { name: 'Version', type: 'string', cell: (n) => n.status?.nodeInfo?.kubeletVersion ?? '' },
    {
      name: 'Internal-IP',
      type: 'string',
      priority: 1,
      cell: (n) =>
        (n.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '<none>',
    },
    { name: 'External-IP', type: 'string', priority: 1, cell: () => '<none>' },
    { name: 'OS-Image', type: 'string', priority: 1, cell: (n) => n.status?.nodeInfo?.osImage ?? '' },
    { name: 'Kernel-Version', type: 'string', priority: 1, cell: (n) => n.status?.nodeInfo?.kernelVersion ?? '' },
    {
      name: 'Container-Runtime',
      type: 'string',
      priority: 1,
      cell: (n) => n.status?.nodeInfo?.containerRuntimeVersion ?? '',
    },
  ],
  Namespace: [nameColumn, { name: 'Status', type: 'string', cell: (n) => n.status?.phase ?? 'Active' }, ageColumn],
  Deployment: [
    nameColumn,
    { name: 'Ready', type: 'string', cell: (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (d) => d.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (d) => d.status?.availableReplicas ?? 0 },
    ageColumn,
    { name: 'Containers', type: 'string', priority: 1, cell: (d) => containersOf(d.spec?.template).names },
    { name: 'Images', type: 'string', priority: 1, cell: (d) => containersOf(d.spec?.template).images },
    { name: 'Selector', type: 'string', priority: 1, cell: (d) => labelSelectorString(d.spec?.selector) },
  ],
  ReplicaSet: [
    nameColumn,
    { name: 'Desired', type: 'integer', cell: (r) => r.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (r) => r.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (r) => r.status?.readyReplicas ?? 0 },
    ageColumn,
    { name: 'Containers', type: 'string', priority: 1, cell: (r) => containersOf(r.spec?.template).names },
    { name: 'Images', type: 'string', priority: 1, cell: (r) => containersOf(r.spec?.template).images },
    { name: 'Selector', type: 'string', priority: 1, cell: (r) => labelSelectorString(r.spec?.selector) },
  ],
  DaemonSet: [
    nameColumn,
    { name: 'Desired', type: 'integer', cell: (d) => d.status?.desiredNumberScheduled ?? 0 },
    { name: 'Current', type: 'integer', cell: (d) => d.status?.currentNumberScheduled ?? 0 },
    { name: 'Ready', type: 'integer', cell: (d) => d.status?.numberReady ?? 0 },
    { name: 'Up-to-date', type: 'integer', cell: (d) => d.status?.updatedNumberScheduled ?? 0 },
    { name: 'Available', type: 'integer', cell: (d) => d.status?.numberAvailable ?? 0 },
    {
      name: 'Node Selector',
      type: 'string',
      cell: (d) =>
        Object.entries(d.spec?.template?.spec?.nodeSelector ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
    },
    ageColumn,
  ],
  Job: [
    nameColumn,
    {
      name: 'Status',
      type: 'string',
      cell: (j) =>
        condition(j, 'Complete')?.status === 'True'
          ? 'Complete'
          : condition(j, 'Failed')?.status === 'True'
            ? 'Failed'
            : 'Running',
    },
    { name: 'Completions', type: 'string', cell: (j) => `${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1}` },
    {
      name: 'Duration',
      type: 'string',
      cell: (j, now) => {
        const start = parseTimeMs(j.status?.startTime);
        if (start === undefined) return '';
        return humanDuration((parseTimeMs(j.status?.completionTime) ?? now) - start);
      },
    },
    ageColumn,
  ],
  Event: [
    {
      name: 'Last Seen',
      type: 'string',
      cell: (e, now) => {
        const last =
          parseTimeMs(e.lastTimestamp as string | undefined) ?? parseTimeMs(e.eventTime as string | undefined);
        return last === undefined ? '<unknown>' : humanDuration(now - last);
      },
    },
    { name: 'Type', type: 'string', cell: (e) => String(e.type ?? '') },
    { name: 'Reason', type: 'string', cell: (e) => String(e.reason ?? '') },
    {
      name: 'Object',
      type: 'string',
      cell: (e) => {
        const io = e.involvedObject as { kind?: string; name?: string } | undefined;
        return `${(io?.kind ?? '').toLowerCase()}/${io?.name ?? ''}`;
      },
    },
    { name: 'Message', type: 'string', cell: (e) => String(e.message ?? '') },
  ],
  Workflow: [
    nameColumn,
    { name: 'Status', type: 'string', cell: (w) => w.status?.phase ?? '' },
    {
      name: 'Age',
      type: 'string',
      cell: (w, now) => {
        const started = parseTimeMs(w.status?.startedAt);
        return started === undefined ? age(w, now) : humanDuration(now - started);
      },
    },
    { name: 'Message', type: 'string', priority: 1, cell: (w) => w.status?.message ?? '' },
  ],
  Service: [
    nameColumn,
    { name: 'URL', type: 'string', cell: (s) => s.status?.url ?? '' },
    { name: 'LatestCreated', type: 'string', cell: (s) => s.status?.latestCreatedRevisionName ?? '' },
    { name: 'LatestReady', type: 'string', cell: (s) => s.status?.latestReadyRevisionName ?? '' },
    { name: 'Ready', type: 'string', cell: (s) => condition(s, 'Ready')?.status ?? 'Unknown' },
    { name: 'Reason', type: 'string', cell: (s) => condition(s, 'Ready')?.reason ?? '' },
  ],
  Revision: [
    nameColumn,
    {
      name: 'Config Name',
      type: 'string',
      cell: (r) => r.metadata.labels?.['serving.knative.dev/configuration'] ?? '',
    },
    {
      name: 'Generation',
      type: 'string',
      cell: (r) => r.metadata.labels?.['serving.knative.dev/configurationGeneration'] ?? '',
    },
    { name: 'Ready', type: 'string', cell: (r) => condition(r, 'Ready')?.status ?? 'Unknown' },
    { name: 'Reason', type: 'string', cell: (r) => condition(r, 'Ready')?.reason ?? '' },
    { name: 'Actual Replicas', type: 'integer', cell: (r) => r.status?.actualReplicas ?? 0 },
    { name: 'Desired Replicas', type: 'integer', cell: (r) => r.status?.desiredReplicas ?? 0 },
  ],
};

export function toTable(
  info: ResourceInfo,
  objects: KubeObject[],
  nowMs: number,
  options: {
    includeObject: 'None' | 'Metadata' | 'Object';
    resourceVersion: string;
    continueToken?: string;
    withColumns?: boolean;
  },
): object {
  const columns = columnsByKind[info.kind] ?? [nameColumn, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      resourceVersion: options.resourceVersion,
      ...(options.continueToken ? { continue: options.continueToken } : {}),
    },
    columnDefinitions:
      options.withColumns === false
        ? []
        : columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.format ?? '',
            description: c.name,
            priority: c.priority ?? 0,
          })),
    rows: objects.map((obj) => ({
      cells: columns.map((c) => c.cell(obj, nowMs)),
      object:
        options.includeObject === 'Object'
          ? obj
          : options.includeObject === 'None'
            ? undefined
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
    })),
  };
}
