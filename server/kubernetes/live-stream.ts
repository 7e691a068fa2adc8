import 'server-only';
import type { KubeRegistry } from './registry';
import type { ClusterConnection, LiveChange, LiveKind, LiveMessage, LiveObject } from './types';
import type { CacheSignal, WatchCache } from './watch-cache';

export interface LiveFilter {
  clusters: string[];
  kinds: LiveKind[];
  namespace?: string;
  /** Only Events about these kinds of objects (e.g. Workflow); all Events when absent. */
  eventsAbout?: string[];
}

export interface LiveEnvelope {
  /** Resume position: pass it back as lastEventId to continue where this message left off. */
  id: string;
  message: LiveMessage;
  /** `message` as JSON, assembled from fragments shared by every subscriber with the same filter. */
  json: string;
}

/** Past this many queued signals a slow subscriber gets fresh snapshots instead of the backlog. */
const maxQueued = 5000;

type Positions = Record<string, number>;

export function encodePositions(positions: Positions): string {
  return Buffer.from(JSON.stringify(positions)).toString('base64url');
}

export function decodePositions(id: string | null | undefined): Positions {
  if (!id) return {};
  try {
    const parsed = JSON.parse(Buffer.from(id, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => Number.isInteger(e[1])));
  } catch {
    return {};
  }
}

// Hundreds of subscribers usually share a few filters: each batch and snapshot is serialised once
// per filter, not once per subscriber (the bench's 200 subscribers made this the main cost).
const changeFragments = new WeakMap<CacheSignal, Map<string, string>>();
const snapshotFragments = new Map<string, string>();
const maxSnapshotFragments = 64;

function filterKey(filter: LiveFilter): string {
  return `${filter.namespace ?? '*'}|${filter.eventsAbout?.join(',') ?? '*'}`;
}

function memoChanges(signal: CacheSignal, key: string, build: () => LiveChange[]): string {
  let byFilter = changeFragments.get(signal);
  if (!byFilter) {
    byFilter = new Map();
    changeFragments.set(signal, byFilter);
  }
  let fragment = byFilter.get(key);
  if (fragment === undefined) {
    fragment = build()
      .map((c) => JSON.stringify(c))
      .join(',');
    byFilter.set(key, fragment);
  }
  return fragment;
}

function memoSnapshot(key: string, objects: LiveObject[]): string {
  let fragment = snapshotFragments.get(key);
  if (fragment === undefined) {
    fragment = objects.map((o) => JSON.stringify(o)).join(',');
    if (snapshotFragments.size >= maxSnapshotFragments)
      snapshotFragments.delete(snapshotFragments.keys().next().value!);
    snapshotFragments.set(key, fragment);
  }
  return fragment;
}

function matcher(filter: LiveFilter): (o: { namespace: string }) => boolean {
  return (o) => filter.namespace === undefined || o.namespace === filter.namespace;
}

function objectMatcher(filter: LiveFilter): (o: LiveObject) => boolean {
  const inNamespace = matcher(filter);
  const about = filter.eventsAbout ? new Set(filter.eventsAbout) : undefined;
  return (o) => inNamespace(o) && (o.kind !== 'Event' || !about || about.has(o.involvedKind));
}

/**
 * The live state a page asked for: per (cluster, kind) a snapshot or the changes since the
 * resume position, then change batches as the shared caches publish them, and cluster
 * connection states whenever they change. Many subscribers share one cache per cluster and kind.
 */
export async function* liveStream(
  registry: KubeRegistry,
  filter: LiveFilter,
  lastEventId: string | null | undefined,
  signal: AbortSignal,
): AsyncGenerator<LiveEnvelope> {
  const resumeFrom = decodePositions(lastEventId);
  const caches: WatchCache[] = [];
  for (const cluster of filter.clusters) {
    for (const kind of filter.kinds) {
      const cache = registry.cache(cluster, kind);
      if (!(cache instanceof Error)) caches.push(cache);
    }
  }
  const queue: { cache: WatchCache; signal: CacheSignal }[] = [];
  let stateDirty = false;
  let resyncAll = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const unsubscribes = [
    ...caches.map((cache) =>
      cache.subscribe((s) => {
        if (queue.length >= maxQueued) {
          queue.length = 0;
          resyncAll = true;
        } else {
          queue.push({ cache, signal: s });
        }
        notify();
      }),
    ),
    // Any cache of these clusters, not only this stream's kinds: the connection is the worst one's.
    registry.onConnectionChange((cluster) => {
      if (!filter.clusters.includes(cluster)) return;
      stateDirty = true;
      notify();
    }),
  ];
  signal.addEventListener('abort', notify, { once: true });

  const delivered = new Map<WatchCache, number>();
  const matches = objectMatcher(filter);
  const fKey = filterKey(filter);
  const id = (): string => encodePositions(Object.fromEntries(caches.map((c) => [c.epoch, delivered.get(c) ?? 0])));
  const envelope = (message: LiveMessage, json: string): LiveEnvelope => ({ id: id(), message, json });
  const snapshotOf = (cache: WatchCache): LiveEnvelope => {
    const snap = cache.snapshot();
    delivered.set(cache, snap.seq);
    const objects = snap.objects.filter(matches);
    const { kind } = cache.definition;
    const fragment = memoSnapshot(`${cache.epoch}:${snap.seq}:${fKey}`, objects);
    return envelope(
      { type: 'snapshot', cluster: cache.cluster, kind, synced: snap.synced, objects },
      `{"type":"snapshot","cluster":${JSON.stringify(cache.cluster)},"kind":"${kind}","synced":${snap.synced},"objects":[${fragment}]}`,
    );
  };
  const filterChanges = (changes: LiveChange[]): LiveChange[] =>
    changes.filter((c) => (c.op === 'delete' ? matcher(filter)(c) : matches(c.object)));
  const changesEnvelope = (changes: LiveChange[], fragments: string[]): LiveEnvelope =>
    envelope({ type: 'changes', changes }, `{"type":"changes","changes":[${fragments.filter(Boolean).join(',')}]}`);
  let lastStates = '';
  const statesEnvelope = (): LiveEnvelope | undefined => {
    const clusters: ClusterConnection[] = registry.connections(filter.clusters);
    const key = JSON.stringify(
      clusters.map((c) => [c.cluster, c.connection.state, 'error' in c.connection ? c.connection.error : '', c.denied]),
    );
    if (key === lastStates) return undefined;
    lastStates = key;
    const message: LiveMessage = { type: 'clusters', clusters };
    return envelope(message, JSON.stringify(message));
  };

  try {
    // Every envelope's id is computed after its message: it must include what the message delivers.
    const first = statesEnvelope();
    if (first) yield first;
    for (const cache of caches) {
      const position = resumeFrom[cache.epoch];
      const missed = position === undefined ? undefined : cache.changesSince(position);
      if (missed === undefined) {
        yield snapshotOf(cache);
        continue;
      }
      delivered.set(cache, cache.snapshot().seq);
      const changes = filterChanges(missed);
      if (changes.length > 0)
        yield changesEnvelope(
          changes,
          changes.map((c) => JSON.stringify(c)),
        );
    }
    while (!signal.aborted) {
      if (queue.length === 0 && !stateDirty && !resyncAll) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (resyncAll) {
        resyncAll = false;
        for (const cache of caches) yield snapshotOf(cache);
      }
      const batch = queue.splice(0, queue.length);
      const changes: LiveChange[] = [];
      const fragments: string[] = [];
      for (const { cache, signal: s } of batch) {
        if (s.seq <= (delivered.get(cache) ?? 0)) continue;
        if (s.type === 'reset') {
          yield snapshotOf(cache);
          continue;
        }
        delivered.set(cache, s.seq);
        const filtered = filterChanges(s.changes);
        changes.push(...filtered);
        fragments.push(memoChanges(s, fKey, () => filtered));
      }
      if (changes.length > 0) yield changesEnvelope(changes, fragments);
      if (stateDirty) {
        stateDirty = false;
        const states = statesEnvelope();
        if (states) yield states;
      }
    }
  } finally {
    signal.removeEventListener('abort', notify);
    for (const unsubscribe of unsubscribes) unsubscribe();
  }
}
