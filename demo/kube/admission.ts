// What the API server does to an object between the request and the store: defaulting and
// validation (a small part of the real admission chain, enough for kubectl and the app).
import type { ResourceInfo } from './resources.ts';
import { labelSelectorString, parseLabelSelector } from './selectors.ts';
import type { KubeObject } from './store.ts';

export interface FieldCause {
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueForbidden';
  message: string;
  field: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pod spec JSON
export function defaultPodSpec(spec: any): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  for (const c of spec.containers ?? []) {
    c.imagePullPolicy ??=
      String(c.image ?? '').endsWith(':latest') || !String(c.image ?? '').includes(':') ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
  }
}

export function applyDefaults(info: ResourceInfo, obj: KubeObject): void {
  if (info.kind === 'Deployment' || info.kind === 'ReplicaSet') {
    obj.spec ??= {};
    obj.spec.replicas ??= 1;
    if (info.kind === 'Deployment') {
      obj.spec.strategy ??= { type: 'RollingUpdate' };
      if (obj.spec.strategy.type === 'RollingUpdate')
        obj.spec.strategy.rollingUpdate ??= { maxSurge: '25%', maxUnavailable: '25%' };
      obj.spec.revisionHistoryLimit ??= 10;
      obj.spec.progressDeadlineSeconds ??= 600;
    }
    defaultPodSpec(obj.spec.template?.spec);
  } else if (info.kind === 'Pod') {
    defaultPodSpec(obj.spec);
    obj.status ??= { phase: 'Pending', qosClass: 'Burstable' };
  } else if (info.kind === 'Job') {
    obj.spec ??= {};
    obj.spec.parallelism ??= 1;
    obj.spec.completions ??= 1;
    obj.spec.backoffLimit ??= 6;
    obj.spec.template ??= {};
    obj.spec.template.spec ??= {};
    obj.spec.template.spec.restartPolicy ??= 'Never';
    defaultPodSpec(obj.spec.template.spec);
  } else if (info.kind === 'Namespace') {
    obj.spec ??= { finalizers: ['kubernetes'] };
    obj.status ??= { phase: 'Active' };
  }
}

function required(value: unknown, field: string, causes: FieldCause[]): void {
  if (value === undefined || value === null || value === '')
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field });
}

function validateContainers(containers: unknown, field: string, causes: FieldCause[]): void {
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field });
    return;
  }
  containers.forEach((c: { name?: string; image?: string }, i) => {
    required(c?.name, `${field}[${i}].name`, causes);
    required(c?.image, `${field}[${i}].image`, causes);
  });
}

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Field errors of an object about to be stored; `old` is set for updates (immutable fields). */
export function validate(info: ResourceInfo, obj: KubeObject, old?: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!dns1123.test(obj.metadata.name) || obj.metadata.name.length > 253) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${obj.metadata.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
      field: 'metadata.name',
    });
  }
  if (info.kind === 'Deployment' || info.kind === 'ReplicaSet') {
    const spec = obj.spec ?? {};
    if (!Number.isInteger(spec.replicas) || spec.replicas < 0) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0`,
        field: 'spec.replicas',
      });
    }
    required(spec.selector, 'spec.selector', causes);
    if (spec.selector) {
      const matches = parseLabelSelector(labelSelectorString(spec.selector));
      if (
        !matches({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'x', labels: spec.template?.metadata?.labels ?? {} },
        })
      ) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: '`selector` does not match template `labels`',
          field: 'spec.template.metadata.labels',
        });
      }
      if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(spec.selector)) {
        causes.push({ reason: 'FieldValueInvalid', message: 'field is immutable', field: 'spec.selector' });
      }
    }
    validateContainers(spec.template?.spec?.containers, 'spec.template.spec.containers', causes);
  } else if (info.kind === 'Pod') {
    validateContainers(obj.spec?.containers, 'spec.containers', causes);
  } else if (info.kind === 'Job') {
    validateContainers(obj.spec?.template?.spec?.containers, 'spec.template.spec.containers', causes);
  } else if (info.kind === 'Service' && info.group === 'serving.knative.dev') {
    validateContainers(obj.spec?.template?.spec?.containers, 'spec.template.spec.containers', causes);
  }
  return causes;
}
