import type { FieldChange } from './types';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Leaf-level changes between two objects; arrays of named items (containers) are keyed by name. */
export function diffObjects(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (equal(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffObjects(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    [...before, ...after].every((item) => isPlainObject(item) && typeof item.name === 'string')
  ) {
    const byName = (items: unknown[]): Map<string, unknown> =>
      new Map(items.map((item) => [(item as { name: string }).name, item]));
    const left = byName(before);
    const right = byName(after);
    const names = [...new Set([...left.keys(), ...right.keys()])];
    return names.flatMap((name) => diffObjects(left.get(name), right.get(name), `${path}[${name}]`));
  }
  return [{ path, before: before ?? null, after: after ?? null }];
}

/** What a change would do, seen by comparing the object before and the server's dry-run answer. */
export function diffWorkload(
  before: { metadata?: object; spec?: object },
  after: { metadata?: object; spec?: object },
): FieldChange[] {
  const view = (obj: { metadata?: { annotations?: object; labels?: object }; spec?: object }): object => ({
    metadata: { annotations: obj.metadata?.annotations ?? {}, labels: obj.metadata?.labels ?? {} },
    spec: obj.spec ?? {},
  });
  return diffObjects(view(before), view(after)).filter(
    (change) => !change.path.startsWith('metadata.annotations.deployment.kubernetes.io/'),
  );
}

/** An RFC 7386 merge patch that turns `current` into `target` (null removes what target lacks). */
export function createMergePatch(current: unknown, target: unknown): Json | undefined {
  if (equal(current, target)) return undefined;
  if (!isPlainObject(current) || !isPlainObject(target)) return (target ?? null) as Json;
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(current)) if (!(key in target)) patch[key] = null;
  for (const [key, value] of Object.entries(target)) {
    const sub = createMergePatch(current[key], value);
    if (sub !== undefined) patch[key] = sub;
  }
  return patch;
}
