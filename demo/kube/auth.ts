// Bearer-token authentication and the demo's RBAC: the same rules guard requests and answer
// SelfSubjectAccessReviews, so `kubectl auth can-i` tells the truth.
import { demoTokens } from '../topology.ts';

export type DemoRole = keyof typeof demoTokens;

export interface DemoUser {
  role: DemoRole;
  username: string;
  groups: string[];
}

const usernames: Record<DemoRole, string> = {
  viewer: 'demo-viewer',
  operator: 'demo-operator',
  admin: 'demo-admin',
  app: 'burnrate-app',
  unbound: 'demo-unbound',
};

export function userForToken(authorization: string | undefined): DemoUser | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const role = (Object.keys(demoTokens) as DemoRole[]).find((r) => demoTokens[r] === match[1]);
  if (!role) return undefined;
  return { role, username: usernames[role], groups: [`burnrate:${role}`, 'system:authenticated'] };
}

export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const readVerbs = new Set(['get', 'list', 'watch']);

/** Returns undefined when allowed, else the reason the request is denied. */
export function denyReason(user: DemoUser, attrs: ResourceAttributes): string | undefined {
  if (user.role === 'admin' || user.role === 'app') return undefined;
  if (user.role === 'unbound') return 'no RoleBinding or ClusterRoleBinding names this user';
  if (readVerbs.has(attrs.verb) && attrs.resource !== 'secrets') return undefined;
  if (user.role === 'operator' && operatorMay(attrs)) return undefined;
  return `the ${user.role} role does not allow ${attrs.verb} on ${describe(attrs)}`;
}

function operatorMay({ verb, group, resource, subresource }: ResourceAttributes): boolean {
  const write = verb === 'patch' || verb === 'update';
  if (group === 'apps' && resource === 'deployments') return write && (!subresource || subresource === 'scale');
  if (group === 'apps' && resource === 'replicasets') return write && subresource === 'scale';
  if (group === '' && resource === 'pods') return verb === 'delete' && !subresource;
  if (group === 'serving.knative.dev' && resource === 'services') return (write || verb === 'create') && !subresource;
  return false;
}

function describe({ group, resource, subresource }: ResourceAttributes): string {
  const name = group ? `${resource}.${group}` : resource;
  return subresource ? `${name}/${subresource}` : name;
}

/** The message the API server writes in a 403 Status. */
export function forbiddenMessage(user: DemoUser, attrs: ResourceAttributes): string {
  const qualified = attrs.group ? `${attrs.resource}.${attrs.group}` : attrs.resource;
  const target = attrs.name ? `${qualified} "${attrs.name}"` : qualified;
  const sub = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? ` in the namespace "${attrs.namespace}"` : ' at the cluster scope';
  return `${target} is forbidden: User "${user.username}" cannot ${attrs.verb} resource "${sub}" in API group "${attrs.group}"${scope}: ${denyReason(user, attrs) ?? ''}`;
}
