import { randomBytes } from 'node:crypto';
import { backoffDelayMs, describeError } from './backoff';
import { ChangeLog } from './change-log';
import { KubeApiError, type KubeClusterClient, type WatchEvent } from './client';
import type { ResourceDefinition } from './resources';
import type { ConnectionState, LiveChange, LiveObject } from './types';

/** What a cache tells its subscribers: a batch of changes, or "take a fresh snapshot". */
export type CacheSignal = { type: 'changes'; seq: number; changes: LiveChange[] } | { type: 'reset'; seq: number };

export interface CacheSnapshot {
  seq: number;
  synced: boolean;
  objects: LiveObject[];
}

export interface WatchCacheOptions {
  /** First retry delay; doubles per failure up to `maxBackoffMs`, each with ±50 % jitter. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Changes kept for subscribers that resume; older positions get a snapshot instead. */
  changeLogSize?: number;
  /** How long the server keeps one watch open (randomised per watch between 1× and 2×). */
  watchTimeoutSeconds?: number;
  random?: () => number;
  onWatchOpen?: (open: boolean) => void;
}

class GoneError extends Error {}

const minWatchMs = 1000;

function keyOf(o: { namespace: string; name: string }): string {
  return `${o.namespace}/${o.name}`;
}

/**
 * One shared list+watch of one kind in one cluster (a reflector, in client-go's words): lists,
 * then watches from the list's resourceVersion with bookmarks; relists on 410 Gone and after a
 * lost connection (diffing against what it holds, so subscribers see only real changes); retries
 * with exponential backoff and jitter, capped; stops for good on 401/403. Holds at most
 * `maxObjects` slim objects.
 */
export class WatchCache {
  /** Changes when the process (or this cache) restarts, so that stale resume positions are detected. */
  readonly epoch = randomBytes(4).toString('hex');
  private readonly objects = new Map<string, LiveObject>();
  private readonly listeners = new Set<(signal: CacheSignal) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly log: ChangeLog;
  private resourceVersion = '';
  private synced = false;
  private started = false;
  private readonly abort = new AbortController();
  private connection: ConnectionState = { state: 'connecting', sinceMs: Date.now() };
  private readonly opts: Required<Omit<WatchCacheOptions, 'onWatchOpen'>> & Pick<WatchCacheOptions, 'onWatchOpen'>;
  private wake: (() => void) | undefined;

  constructor(
    readonly cluster: string,
    readonly definition: ResourceDefinition,
    private readonly client: KubeClusterClient,
    options: WatchCacheOptions = {},
  ) {
    this.opts = {
      initialBackoffMs: options.initialBackoffMs ?? 500,
      // A refused connection costs the API server nothing; a page that stays "reconnecting" for
      // 45 s after the API is back (30 s × 1.5 jitter) costs the operator looking at it.
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
      changeLogSize: options.changeLogSize ?? 2000,
      watchTimeoutSeconds: options.watchTimeoutSeconds ?? 300,
      random: options.random ?? Math.random,
      onWatchOpen: options.onWatchOpen,
    };
    this.log = new ChangeLog(this.opts.changeLogSize);
  }

  /** Starts listing and watching; later calls do nothing (the cache stays warm until stop). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.run();
  }

  stop(): void {
    this.abort.abort();
    this.wake?.();
  }

  get state(): ConnectionState {
    return this.connection;
  }

  get isSynced(): boolean {
    return this.synced;
  }

  snapshot(): CacheSnapshot {
    return { seq: this.log.seq, synced: this.synced, objects: [...this.objects.values()] };
  }

  /** Changes after `seq`, or undefined when the log no longer reaches back that far. */
  changesSince(seq: number): LiveChange[] | undefined {
    return this.log.since(seq);
  }

  subscribe(listener: (signal: CacheSignal) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(next: ConnectionState): void {
    this.connection = next;
    for (const listener of this.stateListeners) listener(next);
  }

  private async run(): Promise<void> {
    let failures = 0;
    let mustList = true;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        if (mustList) {
          await this.relist(signal);
          mustList = false;
        }
        if (this.connection.state !== 'connected') this.setState({ state: 'connected', sinceMs: Date.now() });
        failures = 0;
        await this.watchOnce(signal);
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof GoneError) {
          mustList = true;
          continue;
        }
        const message = describeError(error, this.client.server);
        // Credentials and RBAC do not fix themselves (Headlamp's rule): stop; a page opened
        // later asks the registry for a fresh cache, which tries once more.
        if (error instanceof KubeApiError && (error.statusCode === 401 || error.statusCode === 403)) {
          this.setState({ state: 'forbidden', sinceMs: Date.now(), error: message, statusCode: error.statusCode });
          break;
        }
        // After a lost connection the server may have restarted or compacted: relist, then diff.
        mustList = true;
        failures += 1;
        const since = this.connection.state === 'reconnecting' ? this.connection.sinceMs : Date.now();
        this.setState({ state: 'reconnecting', sinceMs: since, error: message });
        await this.sleep(this.backoffMs(failures));
      }
    }
  }

  private backoffMs(failures: number): number {
    return backoffDelayMs(failures, this.opts.initialBackoffMs, this.opts.maxBackoffMs, this.opts.random);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const list = await this.client.list(this.definition.path, signal);
    const fresh = new Map<string, LiveObject>();
    for (const item of list.items) {
      const object = this.toLive(item);
      if (object) fresh.set(keyOf(object), object);
    }
    this.resourceVersion = list.resourceVersion;
    if (!this.synced) {
      for (const [key, object] of fresh) this.objects.set(key, object);
      this.evictOverflow([]);
      this.synced = true;
      this.emit({ type: 'reset', seq: this.log.reset() });
      return;
    }
    const changes: LiveChange[] = [];
    for (const [key, old] of this.objects) {
      if (!fresh.has(key)) changes.push(this.deleteChange(old));
    }
    for (const [key, object] of fresh) {
      const old = this.objects.get(key);
      if (!old || old.resourceVersion !== object.resourceVersion || old.uid !== object.uid)
        changes.push({ op: 'upsert', object });
    }
    for (const change of changes) this.applyLocal(change);
    this.evictOverflow(changes);
    this.publish(changes);
  }

  private async watchOnce(signal: AbortSignal): Promise<void> {
    const timeoutSeconds = Math.round(this.opts.watchTimeoutSeconds * (1 + this.opts.random()));
    let pending: LiveChange[] = [];
    let gone = false;
    const flush = (): void => {
      const batch = pending;
      pending = [];
      this.evictOverflow(batch);
      this.publish(batch);
    };
    const onEvent = (event: WatchEvent): void => {
      if (event.type === 'BOOKMARK') {
        if (event.resourceVersion) this.resourceVersion = event.resourceVersion;
        return;
      }
      if (event.type === 'ERROR') {
        if (event.statusCode === 410) gone = true;
        return;
      }
      const object = this.toLive(event.object);
      if (!object) return;
      if (object.resourceVersion) this.resourceVersion = object.resourceVersion;
      const change: LiveChange = event.type === 'DELETED' ? this.deleteChange(object) : { op: 'upsert', object };
      this.applyLocal(change);
      // Events of one network chunk go out as one batch: one SSE message per burst, not per object.
      if (pending.length === 0) setImmediate(flush);
      pending.push(change);
    };
    this.opts.onWatchOpen?.(true);
    const openedAtMs = Date.now();
    try {
      await this.client.watch(this.definition.path, this.resourceVersion, timeoutSeconds, onEvent, signal);
    } finally {
      this.opts.onWatchOpen?.(false);
      if (pending.length > 0) flush();
    }
    if (gone) throw new GoneError('resourceVersion expired (410 Gone)');
    // A server (or proxy) that ends every watch at once must not make this a busy loop: back off.
    if (Date.now() - openedAtMs < minWatchMs) throw new Error('the server closed the watch as soon as it opened');
  }

  private toLive(raw: unknown): LiveObject | undefined {
    try {
      return this.definition.toLive(this.cluster, raw);
    } catch {
      return undefined;
    }
  }

  private deleteChange(object: LiveObject): LiveChange {
    return {
      op: 'delete',
      cluster: this.cluster,
      kind: this.definition.kind,
      namespace: object.namespace,
      name: object.name,
    };
  }

  private applyLocal(change: LiveChange): void {
    if (change.op === 'delete') {
      this.objects.delete(keyOf(change));
      return;
    }
    const key = keyOf(change.object);
    // Delete then set keeps the Map in least-recently-changed order for eviction.
    this.objects.delete(key);
    this.objects.set(key, change.object);
  }

  /** Drops the least recently changed objects past the bound; their removal is a change too. */
  private evictOverflow(changes: LiveChange[]): void {
    const excess = this.objects.size - this.definition.maxObjects;
    if (excess <= 0) return;
    let dropped = 0;
    for (const object of this.objects.values()) {
      if (dropped >= excess) break;
      const change = this.deleteChange(object);
      this.objects.delete(keyOf(object));
      changes.push(change);
      dropped += 1;
    }
  }

  private publish(changes: LiveChange[]): void {
    if (changes.length === 0) return;
    this.emit({ type: 'changes', seq: this.log.append(changes), changes });
  }

  private emit(signal: CacheSignal): void {
    for (const listener of this.listeners) listener(signal);
  }
}
