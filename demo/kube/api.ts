// Resource verbs: list, get, create, update, patch, delete, and the scale/status subresources.
import { applyDefaults, validate } from './admission.ts';
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.ts';
import { apiVersionOf, type ResourceInfo } from './resources.ts';
import { labelSelectorString, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.ts';
import { ApiError } from './status.ts';
import { type KubeObject, type KubeStore, StoreError } from './store.ts';
import { toTable } from './tables.ts';
import { isoSeconds, randomSuffix } from './util.ts';

export interface ResourceRequest {
  method: string;
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  accept: string;
  contentType: string;
  body: unknown;
}

export interface ApiContext {
  store: KubeStore;
  random: () => number;
}

export interface ApiResponse {
  code: number;
  body: unknown;
}

export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept);
}

export function includeObjectOf(query: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function selectorPredicate(query: URLSearchParams, namespace: string | undefined): (obj: KubeObject) => boolean {
  try {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'));
    return (obj) => (namespace === undefined || obj.metadata.namespace === namespace) && labels(obj) && fields(obj);
  } catch (error) {
    if (error instanceof SelectorError) throw new ApiError(400, 'BadRequest', error.message);
    throw error;
  }
}

function withTypeMeta(info: ResourceInfo, obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: apiVersionOf(info), kind: info.kind };
}

function notFound(info: ResourceInfo, name: string): ApiError {
  const qualified = info.group ? `${info.plural}.${info.group}` : info.plural;
  return new ApiError(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    group: info.group,
    kind: info.plural,
  });
}

export function mapStoreError(info: ResourceInfo, error: unknown): unknown {
  if (!(error instanceof StoreError)) return error;
  const qualified = info.group ? `${info.plural}.${info.group}` : info.plural;
  const name = error.objectName ?? '';
  const message = error.message.replace(error.resource ?? '\u0000', qualified);
  return new ApiError(error.code, error.reason, message, { name, group: info.group, kind: info.plural });
}

interface ContinueToken {
  rv: number;
  after: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof parsed.rv === 'number' && typeof parsed.after === 'string') return parsed;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'BadRequest', 'continue key is not valid');
}

function objectKey(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

export function listResource(ctx: ApiContext, req: ResourceRequest): ApiResponse {
  const { store } = ctx;
  const matches = selectorPredicate(req.query, req.namespace);
  let items = store.list(req.info.key, req.namespace).filter(matches);
  let rv = store.resourceVersion;
  const continueText = req.query.get('continue');
  if (continueText) {
    const token = decodeContinue(continueText);
    if (token.rv < store.oldestResumableVersion) {
      throw new ApiError(
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    rv = token.rv;
    items = items.filter((obj) => objectKey(obj) > token.after);
  }
  const limit = Number(req.query.get('limit') ?? '0');
  let next: string | undefined;
  let remaining: number | undefined;
  if (limit > 0 && items.length > limit) {
    remaining = items.length - limit;
    items = items.slice(0, limit);
    const last = items[items.length - 1];
    if (last) next = encodeContinue({ rv, after: objectKey(last) });
  }
  if (wantsTable(req.accept)) {
    return {
      code: 200,
      body: toTable(
        req.info,
        items.map((o) => withTypeMeta(req.info, o)),
        store.now(),
        { includeObject: includeObjectOf(req.query), resourceVersion: String(rv), continueToken: next },
      ),
    };
  }
  return {
    code: 200,
    body: {
      kind: `${req.info.kind}List`,
      apiVersion: apiVersionOf(req.info),
      metadata: { resourceVersion: String(rv), ...(next ? { continue: next, remainingItemCount: remaining } : {}) },
      items: items.map((o) => withTypeMeta(req.info, o)),
    },
  };
}

function current(ctx: ApiContext, req: ResourceRequest): KubeObject {
  const obj = ctx.store.get(req.info.key, req.namespace, req.name ?? '');
  if (!obj) throw notFound(req.info, req.name ?? '');
  return withTypeMeta(req.info, obj);
}

function scaleOf(info: ResourceInfo, obj: KubeObject): KubeObject {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: labelSelectorString(obj.spec?.selector) },
  };
}

function render(req: ResourceRequest, ctx: ApiContext, obj: KubeObject): unknown {
  if (req.subresource === 'scale') return scaleOf(req.info, obj);
  if (wantsTable(req.accept)) {
    return toTable(req.info, [obj], ctx.store.now(), {
      includeObject: includeObjectOf(req.query),
      resourceVersion: obj.metadata.resourceVersion ?? '',
    });
  }
  return obj;
}

export function getResource(ctx: ApiContext, req: ResourceRequest): ApiResponse {
  return { code: 200, body: render(req, ctx, current(ctx, req)) };
}

function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}

function asObject(body: unknown): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'BadRequest', 'the request body must be a JSON object');
  const obj = body as KubeObject;
  obj.metadata ??= { name: '' };
  return obj;
}

function checkInvalid(info: ResourceInfo, obj: KubeObject, old?: KubeObject): void {
  const causes = validate(info, obj, old);
  if (causes.length === 0) return;
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  throw new ApiError(422, 'Invalid', `${info.kind} "${obj.metadata.name}" is invalid: ${summary}`, {
    name: obj.metadata.name,
    group: info.group,
    kind: info.kind,
    causes,
  });
}

export function createResource(ctx: ApiContext, req: ResourceRequest): ApiResponse {
  const obj = asObject(req.body);
  if (obj.kind && obj.kind !== req.info.kind)
    throw new ApiError(400, 'BadRequest', `the kind ${obj.kind} does not match ${req.info.kind}`);
  if (req.info.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== req.namespace) {
      throw new ApiError(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = req.namespace;
    if (req.namespace && !ctx.store.get('namespaces', undefined, req.namespace)) {
      throw new ApiError(404, 'NotFound', `namespaces "${req.namespace}" not found`, {
        name: req.namespace,
        kind: 'namespaces',
      });
    }
  }
  if (!obj.metadata.name && obj.metadata.generateName)
    obj.metadata.name = obj.metadata.generateName + randomSuffix(ctx.random);
  for (const field of [
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'generation',
    'deletionTimestamp',
    'managedFields',
  ] as const)
    delete obj.metadata[field];
  const typed = withTypeMeta(req.info, obj);
  applyDefaults(req.info, typed);
  checkInvalid(req.info, typed);
  try {
    const created = ctx.store.create(req.info.key, typed, { dryRun: isDryRun(req.query) });
    return { code: 201, body: render(req, ctx, withTypeMeta(req.info, created)) };
  } catch (error) {
    throw mapStoreError(req.info, error);
  }
}

/** Writes `next` over the stored object, keeping what the addressed (sub)resource may not change. */
function write(ctx: ApiContext, req: ResourceRequest, old: KubeObject, next: KubeObject): ApiResponse {
  let merged: KubeObject;
  if (req.subresource === 'scale') {
    const replicas = next.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new ApiError(
        422,
        'Invalid',
        `Scale.autoscaling "${old.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      );
    }
    merged = {
      ...old,
      metadata: { ...old.metadata, resourceVersion: next.metadata?.resourceVersion ?? '' },
      spec: { ...old.spec, replicas },
    };
  } else if (req.subresource === 'status') {
    merged = {
      ...old,
      metadata: { ...old.metadata, resourceVersion: next.metadata?.resourceVersion ?? '' },
      status: next.status,
    };
  } else {
    if (next.metadata?.name !== undefined && next.metadata.name !== old.metadata.name) {
      throw new ApiError(400, 'BadRequest', 'the name of the object does not match the name on the URL');
    }
    merged = withTypeMeta(req.info, {
      ...next,
      metadata: { ...next.metadata, name: old.metadata.name, namespace: old.metadata.namespace },
      status: old.status,
    });
    if (merged.metadata.deletionTimestamp !== old.metadata.deletionTimestamp)
      merged.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    applyDefaults(req.info, merged);
    checkInvalid(req.info, merged, old);
  }
  try {
    const updated = ctx.store.update(req.info.key, merged, { dryRun: isDryRun(req.query) });
    return { code: 200, body: render(req, ctx, withTypeMeta(req.info, updated)) };
  } catch (error) {
    throw mapStoreError(req.info, error);
  }
}

export function updateResource(ctx: ApiContext, req: ResourceRequest): ApiResponse {
  const old = current(ctx, req);
  return write(ctx, req, old, asObject(req.body));
}

export function patchResource(
  ctx: ApiContext,
  req: ResourceRequest,
  parseYaml: (text: string) => unknown,
): ApiResponse {
  const isApply = req.contentType.startsWith('application/apply-patch+yaml');
  if (isApply && !req.subresource && !ctx.store.get(req.info.key, req.namespace, req.name ?? '')) {
    // Server-side apply of an object that does not exist yet creates it.
    const body = typeof req.body === 'string' ? parseYaml(req.body) : req.body;
    return createResource(ctx, {
      ...req,
      body: { ...(body as object), metadata: { ...((body as KubeObject | null)?.metadata ?? {}), name: req.name } },
    });
  }
  const old = current(ctx, req);
  const base: KubeObject = req.subresource === 'scale' ? scaleOf(req.info, old) : old;
  const type = req.contentType.split(';')[0]?.trim() ?? '';
  let patched: unknown;
  try {
    switch (type) {
      case 'application/merge-patch+json':
        patched = mergePatch(base, req.body);
        break;
      case 'application/strategic-merge-patch+json':
        patched = strategicMergePatch(base, req.body);
        break;
      case 'application/json-patch+json':
        patched = jsonPatch(base, req.body);
        break;
      case 'application/apply-patch+yaml': {
        const applied = typeof req.body === 'string' ? parseYaml(req.body) : req.body;
        patched = strategicMergePatch(base, applied);
        break;
      }
      default:
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        );
    }
  } catch (error) {
    if (error instanceof PatchError) throw new ApiError(422, 'Invalid', error.message);
    throw error;
  }
  const next = asObject(patched);
  // A patch is applied to the latest version; only a resourceVersion the client wrote is a precondition.
  const pinned = (req.body as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
  next.metadata.resourceVersion =
    type === 'application/json-patch+json' ? old.metadata.resourceVersion : (pinned ?? old.metadata.resourceVersion);
  return write(ctx, req, old, next);
}

export function deleteResource(ctx: ApiContext, req: ResourceRequest): ApiResponse {
  const old = current(ctx, req);
  const dryRun = isDryRun(req.query);
  const grace = Number(
    req.query.get('gracePeriodSeconds') ??
      (req.body as { gracePeriodSeconds?: number } | null)?.gracePeriodSeconds ??
      30,
  );
  try {
    if (req.info.key === 'pods' && old.spec?.nodeName && grace > 0 && !old.metadata.deletionTimestamp) {
      // A running pod terminates gracefully; the kubelet simulation removes it afterwards.
      const terminating = {
        ...old,
        metadata: {
          ...old.metadata,
          deletionTimestamp: isoSeconds(ctx.store.now() + grace * 1000),
          deletionGracePeriodSeconds: grace,
        },
      };
      return { code: 200, body: withTypeMeta(req.info, ctx.store.update('pods', terminating, { dryRun })) };
    }
    const deleted = ctx.store.delete(req.info.key, req.namespace, req.name ?? '', { dryRun });
    return { code: 200, body: withTypeMeta(req.info, deleted) };
  } catch (error) {
    throw mapStoreError(req.info, error);
  }
}
