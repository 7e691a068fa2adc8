// OpenAPI v3 documents, just enough for kubectl: each PATCH operation names its kind and
// declares the fieldValidation parameter, so `kubectl apply` leaves validation to the server
// and computes patches from its built-in types.
import { fnv32a } from './util.ts';
import { resources } from './resources.ts';

function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const queryParameters = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

function schemaName(group: string, version: string, kind: string): string {
  const prefix =
    group === ''
      ? 'io.k8s.api.core'
      : group === 'apps' || group === 'batch'
        ? `io.k8s.api.${group}`
        : group.split('.').reverse().join('.');
  return `${prefix}.${version}.${kind}`;
}

function groupVersionDocument(group: string, version: string): object | undefined {
  const members = resources.filter((r) => r.group === group && r.version === version);
  if (members.length === 0) return undefined;
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = {};
  for (const r of members) {
    const gvk = [{ group, version, kind: r.kind }];
    const base = `/${groupVersionPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    const op = (verb: string): object => ({
      operationId: `${verb}${r.kind}`,
      parameters: queryParameters,
      'x-kubernetes-action': verb,
      'x-kubernetes-group-version-kind': gvk[0],
      responses: { 200: { description: 'OK' } },
    });
    paths[base] = { get: op('list'), post: op('post') };
    paths[`${base}/{name}`] = { get: op('get'), put: op('put'), patch: op('patch'), delete: op('delete') };
    schemas[schemaName(group, version, r.kind)] = {
      type: 'object',
      'x-kubernetes-group-version-kind': gvk,
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: { type: 'object' },
        status: { type: 'object' },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas } };
}

function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of resources) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

export function openApiDocument(path: string): object | undefined {
  if (path === '/openapi/v3') {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const { group, version } of groupVersions()) {
      const p = groupVersionPath(group, version);
      const hash = fnv32a(JSON.stringify(groupVersionDocument(group, version)))
        .toString(16)
        .toUpperCase();
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
    }
    return { paths };
  }
  const m = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  return m[1] ? groupVersionDocument('', m[1]) : groupVersionDocument(m[2] ?? '', m[3] ?? '');
}
