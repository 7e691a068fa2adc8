import { toLiveDeployment, toLiveReplicaSet } from './mappers/apps';
import { toLiveEvent, toLivePod } from './mappers/core';
import { toLiveKnativeRevision, toLiveKnativeService } from './mappers/knative';
import { toLiveWorkflow } from './mappers/workflows';
import type { LiveKind, LiveObject } from './types';

/** One watched resource: where it lives in the API, and how a raw object becomes its slim shape. */
export interface ResourceDefinition {
  kind: LiveKind;
  /** `resource.group` as kubectl and the demo's /debug/connections name it. */
  resource: string;
  /** Collection path across all namespaces. */
  path: string;
  /** Most objects a cache keeps; past it the oldest are dropped (memory bound, see watch-cache). */
  maxObjects: number;
  toLive: (cluster: string, raw: unknown) => LiveObject;
}

export const resourceDefinitions: Record<LiveKind, ResourceDefinition> = {
  Deployment: {
    kind: 'Deployment',
    resource: 'deployments.apps',
    path: '/apis/apps/v1/deployments',
    maxObjects: 5000,
    toLive: toLiveDeployment,
  },
  ReplicaSet: {
    kind: 'ReplicaSet',
    resource: 'replicasets.apps',
    path: '/apis/apps/v1/replicasets',
    maxObjects: 10000,
    toLive: toLiveReplicaSet,
  },
  Pod: { kind: 'Pod', resource: 'pods', path: '/api/v1/pods', maxObjects: 20000, toLive: toLivePod },
  // Events churn the most and matter the least once old: a small cap, newest kept.
  Event: { kind: 'Event', resource: 'events', path: '/api/v1/events', maxObjects: 3000, toLive: toLiveEvent },
  KnativeService: {
    kind: 'KnativeService',
    resource: 'services.serving.knative.dev',
    path: '/apis/serving.knative.dev/v1/services',
    maxObjects: 2000,
    toLive: toLiveKnativeService,
  },
  KnativeRevision: {
    kind: 'KnativeRevision',
    resource: 'revisions.serving.knative.dev',
    path: '/apis/serving.knative.dev/v1/revisions',
    maxObjects: 5000,
    toLive: toLiveKnativeRevision,
  },
  Workflow: {
    kind: 'Workflow',
    resource: 'workflows.argoproj.io',
    path: '/apis/argoproj.io/v1alpha1/workflows',
    maxObjects: 2000,
    toLive: toLiveWorkflow,
  },
};
