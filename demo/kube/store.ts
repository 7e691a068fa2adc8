// In-memory object store of one simulated cluster: etcd's semantics (one cluster-wide revision
// counter, a bounded event history for watch resumption) without its persistence.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { isoSeconds } from './util.ts';

export type ResourceKey =
  | 'namespaces'
  | 'nodes'
  | 'pods'
  | 'events'
  | 'deployments.apps'
  | 'replicasets.apps'
  | 'daemonsets.apps'
  | 'jobs.batch'
  | 'workflows.argoproj.io'
  | 'services.serving.knative.dev'
  | 'revisions.serving.knative.dev';

export const resourceKeys: readonly ResourceKey[] = [
  'namespaces',
  'nodes',
  'pods',
  'events',
  'deployments.apps',
  'replicasets.apps',
  'daemonsets.apps',
  'jobs.batch',
  'workflows.argoproj.io',
  'services.serving.knative.dev',
  'revisions.serving.knative.dev',
];

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

/** A Kubernetes object as JSON; spec and status stay loosely typed, each controller narrows them. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary Kubernetes JSON
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary Kubernetes JSON
  status?: any;
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceKey;
  /** The revision this change created (for DELETED, the revision of the deletion). */
  resourceVersion: number;
  object: KubeObject;
  /** The object before the change (MODIFIED only), so watchers can tell selector entry and exit. */
  oldObject?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

export type StoreErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'Expired';

/** A failed store operation, with the HTTP code and Status reason the API reports for it. */
export class StoreError extends Error {
  constructor(
    readonly code: 404 | 409 | 410 | 422,
    readonly reason: StoreErrorReason,
    message: string,
    readonly resource?: ResourceKey,
    readonly objectName?: string,
  ) {
    super(message);
  }
}

export interface WriteOptions {
  /** Validate and compute the result without storing it (the API's dryRun=All). */
  dryRun?: boolean;
}

export interface StoreOptions {
  now: () => number;
  /** How many changes are kept for watches that resume from a resourceVersion. */
  historySize?: number;
}

function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

// Stored objects are frozen and handed out as they are: with 30,000 pods, a copy per read made
// every controller pass and every list take seconds. Writers build new objects (spread), as before.
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function ownerUids(obj: KubeObject): string[] {
  return (obj.metadata.ownerReferences ?? []).map((ref) => ref.uid);
}

function withoutVolatileMeta(obj: KubeObject): KubeObject {
  const copy = { ...obj, metadata: { ...obj.metadata } };
  delete copy.metadata.resourceVersion;
  delete copy.metadata.managedFields;
  return copy;
}

export class KubeStore {
  private readonly objects = new Map<ResourceKey, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<StoreListener>();
  /** Owner uid → `resource\0key` of its dependents, so a delete finds them without a scan. */
  private readonly dependents = new Map<string, Set<string>>();
  private revision = 0;
  private readonly historySize: number;
  readonly now: () => number;

  constructor(options: StoreOptions) {
    this.now = options.now;
    this.historySize = options.historySize ?? 1000;
    for (const key of resourceKeys) this.objects.set(key, new Map());
  }

  /** The current cluster-wide revision (what a list reports as its resourceVersion). */
  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest revision a watch can resume from; older ones get 410 Gone. */
  get oldestResumableVersion(): number {
    const first = this.history[0];
    return first ? first.resourceVersion - 1 : this.revision;
  }

  /** Frozen objects in key order (etcd's byte order, as a real API server lists them). */
  list(resource: ResourceKey, namespace?: string): KubeObject[] {
    const out: [string, KubeObject][] = [];
    for (const [key, obj] of this.bucket(resource)) {
      if (namespace === undefined || obj.metadata.namespace === namespace) out.push([key, obj]);
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, obj]) => obj);
  }

  /**
   * The stored objects themselves, unsorted and not copied: for controllers that only read them
   * (a pass over every pod would otherwise copy each one several times). Never mutate them.
   */
  listShared(resource: ResourceKey): readonly KubeObject[] {
    return [...this.bucket(resource).values()];
  }

  get(resource: ResourceKey, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(resource).get(keyOf(namespace, name));
  }

  create(resource: ResourceKey, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const bucket = this.bucket(resource);
    const obj = clone(input);
    if (!obj.metadata?.name) {
      throw new StoreError(422, 'Invalid', `${resource} is invalid: metadata.name: Required value`, resource);
    }
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    if (bucket.has(key)) {
      throw new StoreError(
        409,
        'AlreadyExists',
        `${resource} "${obj.metadata.name}" already exists`,
        resource,
        obj.metadata.name,
      );
    }
    obj.metadata.uid = obj.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp = obj.metadata.creationTimestamp ?? isoSeconds(this.now());
    if (obj.spec !== undefined) obj.metadata.generation = 1;
    if (options.dryRun) return obj;
    obj.metadata.resourceVersion = String(++this.revision);
    bucket.set(key, deepFreeze(obj));
    this.index(resource, key, undefined, obj);
    this.emit({ type: 'ADDED', resource, resourceVersion: this.revision, object: obj });
    return obj;
  }

  /**
   * Replaces an object. A resourceVersion in the input is a precondition (409 when stale);
   * generation moves when the spec changes; a write that changes nothing is not a new revision.
   */
  update(resource: ResourceKey, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const bucket = this.bucket(resource);
    const key = keyOf(input.metadata.namespace, input.metadata.name);
    const current = bucket.get(key);
    if (!current) {
      throw new StoreError(
        404,
        'NotFound',
        `${resource} "${input.metadata.name}" not found`,
        resource,
        input.metadata.name,
      );
    }
    const wanted = input.metadata.resourceVersion;
    if (wanted !== undefined && wanted !== '' && wanted !== current.metadata.resourceVersion) {
      throw new StoreError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resource} "${input.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        resource,
        input.metadata.name,
      );
    }
    const obj = clone(input);
    obj.metadata.uid = current.metadata.uid;
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
    obj.metadata.resourceVersion = current.metadata.resourceVersion;
    if (current.metadata.generation !== undefined) {
      obj.metadata.generation = isDeepStrictEqual(current.spec, obj.spec)
        ? current.metadata.generation
        : current.metadata.generation + 1;
    }
    if (isDeepStrictEqual(withoutVolatileMeta(current), withoutVolatileMeta(obj))) return current;
    if (options.dryRun) return obj;
    obj.metadata.resourceVersion = String(++this.revision);
    bucket.set(key, deepFreeze(obj));
    this.index(resource, key, current, obj);
    this.emit({ type: 'MODIFIED', resource, resourceVersion: this.revision, object: obj, oldObject: current });
    return obj;
  }

  /** Removes an object now, and (like the garbage collector's background policy) its dependents. */
  delete(resource: ResourceKey, namespace: string | undefined, name: string, options: WriteOptions = {}): KubeObject {
    const bucket = this.bucket(resource);
    const key = keyOf(namespace, name);
    const current = bucket.get(key);
    if (!current) throw new StoreError(404, 'NotFound', `${resource} "${name}" not found`, resource, name);
    if (options.dryRun) return current;
    bucket.delete(key);
    this.index(resource, key, current, undefined);
    const deleted = clone(current);
    deleted.metadata.resourceVersion = String(++this.revision);
    deepFreeze(deleted);
    this.emit({ type: 'DELETED', resource, resourceVersion: this.revision, object: deleted });
    this.collectDependents(current.metadata.uid);
    return deleted;
  }

  /** Objects whose controller owner has this uid. */
  dependentsOf(uid: string | undefined): { resource: ResourceKey; object: KubeObject }[] {
    if (!uid) return [];
    const out: { resource: ResourceKey; object: KubeObject }[] = [];
    for (const entry of this.dependents.get(uid) ?? []) {
      const [resource, key] = entry.split('\0') as [ResourceKey, string];
      const object = this.objects.get(resource)?.get(key);
      if (object) out.push({ resource, object });
    }
    return out;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes after `resourceVersion`, or 'expired' when the window no longer reaches back that far. */
  eventsSince(resourceVersion: number): StoreEvent[] | 'expired' {
    if (resourceVersion < this.oldestResumableVersion) return 'expired';
    return this.history.filter((event) => event.resourceVersion > resourceVersion);
  }

  private collectDependents(uid: string | undefined): void {
    for (const { resource, object } of this.dependentsOf(uid)) {
      const stillThere = this.bucket(resource).get(keyOf(object.metadata.namespace, object.metadata.name));
      if (!stillThere) continue;
      if (resource === 'pods' && stillThere.spec?.nodeName) {
        // Pods on a node terminate gracefully; the kubelet simulation removes them.
        if (!stillThere.metadata.deletionTimestamp) {
          this.update('pods', {
            ...stillThere,
            metadata: {
              ...stillThere.metadata,
              deletionTimestamp: isoSeconds(this.now() + 30_000),
              deletionGracePeriodSeconds: 30,
            },
          });
        }
      } else {
        this.delete(resource, object.metadata.namespace, object.metadata.name);
      }
    }
  }

  private index(
    resource: ResourceKey,
    key: string,
    before: KubeObject | undefined,
    after: KubeObject | undefined,
  ): void {
    const entry = `${resource}\0${key}`;
    for (const uid of before ? ownerUids(before) : []) {
      const set = this.dependents.get(uid);
      set?.delete(entry);
      if (set?.size === 0) this.dependents.delete(uid);
    }
    for (const uid of after ? ownerUids(after) : []) {
      let set = this.dependents.get(uid);
      if (!set) this.dependents.set(uid, (set = new Set()));
      set.add(entry);
    }
  }

  private bucket(resource: ResourceKey): Map<string, KubeObject> {
    const bucket = this.objects.get(resource);
    if (!bucket) throw new StoreError(404, 'NotFound', `unknown resource ${resource}`);
    return bucket;
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
    for (const listener of this.listeners) listener(event);
  }
}
