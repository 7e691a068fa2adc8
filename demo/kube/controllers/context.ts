// What every controller shares: the store, the injected clock, the seeded PRNG, and Events.
import type { ClusterSpec } from '../../topology.ts';
import type { KubeObject, KubeStore } from '../store.ts';
import { isoSeconds, parseTimeMs, seededRandom } from '../util.ts';

export interface ControllerContext {
  spec: ClusterSpec;
  store: KubeStore;
  seed: number;
  now: () => number;
  /** Seeded stream for generated names; the same start gives the same names. */
  random: () => number;
  /**
   * While the store is seeded, objects are created as if they had existed for a while
   * (pods already running), so the demo does not start with a cluster-wide cold start.
   */
  seeding: boolean;
  /** The `pipeline-failure` scenario is in force: every running pipeline step fails now. */
  failRunningSteps: () => boolean;
}

export const seedingBackdateMs = 6 * 3600_000;

export function createContext(
  spec: ClusterSpec,
  store: KubeStore,
  seed: number,
  now: () => number,
  failRunningSteps: () => boolean = () => false,
): ControllerContext {
  return { spec, store, seed, now, random: seededRandom(seed ^ 0x5bd1e995), seeding: false, failRunningSteps };
}

/** When an object created now should say it was created. */
export function creationTime(ctx: ControllerContext): number {
  return ctx.seeding ? ctx.now() - seedingBackdateMs : ctx.now();
}

export interface Involved {
  kind: string;
  apiVersion: string;
  object: KubeObject;
  fieldPath?: string;
}

let eventCounter = 0;

/** Writes a core/v1 Event about an object (what `kubectl describe` and `get events` show). */
export function recordEvent(
  ctx: ControllerContext,
  involved: Involved,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  options: { atMs?: number; component?: string; host?: string } = {},
): void {
  const atMs = options.atMs ?? creationTime(ctx);
  const meta = involved.object.metadata;
  const namespace = meta.namespace ?? 'default';
  eventCounter = (eventCounter + 1) % 0xffff;
  const name = `${meta.name}.${(atMs * 1000 + eventCounter).toString(16)}`;
  const at = isoSeconds(atMs);
  ctx.store.create('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace, creationTimestamp: at },
    involvedObject: {
      kind: involved.kind,
      namespace: meta.namespace,
      name: meta.name,
      uid: meta.uid,
      apiVersion: involved.apiVersion,
      resourceVersion: meta.resourceVersion,
      ...(involved.fieldPath ? { fieldPath: involved.fieldPath } : {}),
    },
    reason,
    message,
    type,
    count: 1,
    source: { component: options.component ?? 'controller-manager', ...(options.host ? { host: options.host } : {}) },
    firstTimestamp: at,
    lastTimestamp: at,
    eventTime: null,
    reportingComponent: options.component ?? 'controller-manager',
    reportingInstance: options.host ?? '',
  });
}

const eventTtlMs = 26 * 3600_000;
const maxEvents = 1500;

/** Expires old Events, as the API server's event TTL does (longer here, so history keeps its Events). */
export function pruneEvents(ctx: ControllerContext): void {
  const events = ctx.store.list('events');
  const cutoff = ctx.now() - eventTtlMs;
  const byAge = events
    .map((e) => ({ e, at: parseTimeMs(e.lastTimestamp as string | undefined) ?? 0 }))
    .sort((a, b) => a.at - b.at);
  const excess = Math.max(0, byAge.length - maxEvents);
  byAge.forEach(({ e, at }, index) => {
    if (at < cutoff || index < excess) ctx.store.delete('events', e.metadata.namespace, e.metadata.name);
  });
}
