// The API surface: which resources exist, under which group/version, with which verbs (discovery).
import type { ResourceKey } from './store.ts';

export interface ResourceInfo {
  key: ResourceKey;
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  subresources: ('status' | 'scale')[];
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const resources: ResourceInfo[] = [
  {
    key: 'namespaces',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    categories: [],
    subresources: ['status'],
  },
  {
    key: 'nodes',
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    categories: [],
    subresources: ['status'],
  },
  {
    key: 'pods',
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status'],
  },
  {
    key: 'events',
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    categories: [],
    subresources: [],
  },
  {
    key: 'deployments.apps',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  },
  {
    key: 'replicasets.apps',
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  },
  {
    key: 'daemonsets.apps',
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
  },
  {
    key: 'jobs.batch',
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    singular: 'job',
    kind: 'Job',
    namespaced: true,
    shortNames: [],
    categories: ['all'],
    subresources: ['status'],
  },
  {
    key: 'workflows.argoproj.io',
    group: 'argoproj.io',
    version: 'v1alpha1',
    plural: 'workflows',
    singular: 'workflow',
    kind: 'Workflow',
    namespaced: true,
    shortNames: ['wf'],
    categories: [],
    subresources: [],
  },
  {
    key: 'services.serving.knative.dev',
    group: 'serving.knative.dev',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['kservice', 'ksvc'],
    categories: ['all', 'knative', 'serving'],
    subresources: ['status'],
  },
  {
    key: 'revisions.serving.knative.dev',
    group: 'serving.knative.dev',
    version: 'v1',
    plural: 'revisions',
    singular: 'revision',
    kind: 'Revision',
    namespaced: true,
    shortNames: ['rev'],
    categories: ['all', 'knative', 'serving'],
    subresources: ['status'],
  },
];

export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function resourceByKey(key: ResourceKey): ResourceInfo {
  const info = resources.find((r) => r.key === key);
  if (!info) throw new Error(`unknown resource ${key}`);
  return info;
}

export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of resources) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  seen.set('authorization.k8s.io/v1', { group: 'authorization.k8s.io', version: 'v1' });
  seen.set('authentication.k8s.io/v1', { group: 'authentication.k8s.io', version: 'v1' });
  return [...seen.values()];
}

interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  group?: string;
  version?: string;
}

/** APIResourceList for one group/version, with subresources as kubectl expects them. */
export function apiResourceList(group: string, version: string): object | undefined {
  const groupVersion = group ? `${group}/${version}` : version;
  const list: ApiResource[] = [];
  if (group === 'authorization.k8s.io' && version === 'v1') {
    list.push({
      name: 'selfsubjectaccessreviews',
      singularName: 'selfsubjectaccessreview',
      namespaced: false,
      kind: 'SelfSubjectAccessReview',
      verbs: ['create'],
    });
  } else if (group === 'authentication.k8s.io' && version === 'v1') {
    list.push({
      name: 'selfsubjectreviews',
      singularName: 'selfsubjectreview',
      namespaced: false,
      kind: 'SelfSubjectReview',
      verbs: ['create'],
    });
  } else {
    for (const r of resources.filter((x) => x.group === group && x.version === version)) {
      list.push({
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: allVerbs,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories.length ? { categories: r.categories } : {}),
      });
      for (const sub of r.subresources) {
        list.push(
          sub === 'scale'
            ? {
                name: `${r.plural}/scale`,
                singularName: '',
                namespaced: r.namespaced,
                group: 'autoscaling',
                version: 'v1',
                kind: 'Scale',
                verbs: ['get', 'patch', 'update'],
              }
            : {
                name: `${r.plural}/status`,
                singularName: '',
                namespaced: r.namespaced,
                kind: r.kind,
                verbs: ['get', 'patch', 'update'],
              },
        );
      }
    }
  }
  if (list.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: list };
}

export function apiGroupList(): object {
  const groups = new Map<string, string[]>();
  for (const { group, version } of groupVersions()) {
    if (!group) continue;
    groups.set(group, [...(groups.get(group) ?? []), version]);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}
