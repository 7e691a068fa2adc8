// The three patch formats kubectl and client libraries send: JSON merge patch (RFC 7386),
// Kubernetes strategic merge patch (lists merged by key), and JSON patch (RFC 6902).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export class PatchError extends Error {}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return structuredClone(patch as Json);
  const out: JsonObject = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

// Merge keys of the lists kubectl patches strategically (from the Kubernetes API's struct tags).
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};

export function strategicMergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return structuredClone(patch as Json);
  if (patch.$patch === 'replace') {
    const rest = { ...patch };
    delete rest.$patch;
    return rest;
  }
  if (patch.$patch === 'delete') return null;
  const out: JsonObject = isObject(target) ? structuredClone(target) : {};
  const retainKeys = Array.isArray(patch.$retainKeys) ? patch.$retainKeys.map(String) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys') continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(value)) out[field] = current.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const mergeKey = mergeKeys[key];
    if (Array.isArray(value) && mergeKey) {
      out[key] = mergeList(out[key], value, mergeKey);
    } else if (isObject(value)) {
      out[key] = strategicMergePatch(out[key], value);
      if (out[key] === null) delete out[key];
    } else {
      out[key] = structuredClone(value);
    }
  }
  if (retainKeys) for (const key of Object.keys(out)) if (!retainKeys.includes(key)) delete out[key];
  return out;
}

function mergeList(target: Json | undefined, patch: Json[], mergeKey: string): Json[] {
  const out: Json[] = Array.isArray(target) ? structuredClone(target) : [];
  for (const item of patch) {
    if (!isObject(item)) {
      out.push(structuredClone(item));
      continue;
    }
    const key = item[mergeKey];
    const index = out.findIndex((existing) => isObject(existing) && existing[mergeKey] === key);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) {
      out[index] = strategicMergePatch(out[index], item);
    } else {
      out.push(strategicMergePatch({}, item));
    }
  }
  return out;
}

interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: Json;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[]): { parent: JsonObject | Json[]; last: string } {
  let node: Json = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(part)] ?? null;
    else if (isObject(node)) node = node[part] ?? null;
    else node = null;
    if (node === null) throw new PatchError(`path not found: /${parts.join('/')}`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new PatchError(`path not found: /${parts.join('/')}`);
  return { parent: node, last: parts[parts.length - 1] ?? '' };
}

function getAt(doc: Json, parts: string[]): Json | undefined {
  let node: Json | undefined = doc;
  for (const part of parts) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else return undefined;
  }
  return node;
}

export function jsonPatch(target: unknown, operations: unknown): Json {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch is an array of operations');
  let doc = structuredClone(target as Json);
  for (const raw of operations as JsonPatchOperation[]) {
    const parts = pointer(raw.path);
    const value =
      raw.op === 'move' || raw.op === 'copy'
        ? structuredClone(getAt(doc, pointer(raw.from ?? '')) ?? null)
        : structuredClone(raw.value ?? null);
    if (raw.op === 'test') {
      if (JSON.stringify(getAt(doc, parts)) !== JSON.stringify(raw.value))
        throw new PatchError(`test failed at ${raw.path}`);
      continue;
    }
    if (raw.op === 'move') doc = removeAt(doc, pointer(raw.from ?? ''));
    if (raw.op === 'remove') {
      doc = removeAt(doc, parts);
      continue;
    }
    if (parts.length === 0) {
      doc = value;
      continue;
    }
    const { parent, last } = parentOf(doc, parts);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (raw.op === 'replace') parent[index] = value;
      else parent.splice(index, 0, value);
    } else {
      if (raw.op === 'replace' && !(last in parent)) throw new PatchError(`replace of missing path ${raw.path}`);
      parent[last] = value;
    }
  }
  return doc;
}

function removeAt(doc: Json, parts: string[]): Json {
  const { parent, last } = parentOf(doc, parts);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (last in parent) delete parent[last];
  else throw new PatchError(`remove of missing path /${parts.join('/')}`);
  return doc;
}
