import 'server-only';
import { Coalescer } from './coalesce';
import { isPrometheusError, type PrometheusErrorKind } from './errors';

export interface TtlLruCacheOptions {
  /** How long a result is served without asking the upstream. */
  ttlMs: number;
  /** How long an expired result is kept to stand in while the upstream fails. */
  staleTtlMs?: number;
  maxEntries?: number;
  /** Upper bound on the summed weight (e.g. sample count) of all entries. */
  maxWeight?: number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  weight: number;
  fetchedAtMs: number;
  failingSinceMs: number | null;
}

export interface CacheHit<V> {
  value: V;
  fetchedAtMs: number;
  fresh: boolean;
  failingSinceMs: number | null;
}

/** A Map-ordered LRU with a TTL for freshness and a longer retention for stale serving. */
export class TtlLruCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly ttlMs: number;
  private readonly staleTtlMs: number;
  private readonly maxEntries: number;
  private readonly maxWeight: number;
  private readonly now: () => number;
  private weight = 0;

  constructor(options: TtlLruCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.staleTtlMs = Math.max(options.staleTtlMs ?? 6 * 3_600_000, options.ttlMs);
    this.maxEntries = options.maxEntries ?? 500;
    this.maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
    this.now = options.now ?? Date.now;
  }

  get(key: string, ttlMs = this.ttlMs): CacheHit<V> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const ageMs = this.now() - entry.fetchedAtMs;
    if (ageMs > this.staleTtlMs) {
      this.remove(key, entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return {
      value: entry.value,
      fetchedAtMs: entry.fetchedAtMs,
      fresh: ageMs < ttlMs && entry.failingSinceMs === null,
      failingSinceMs: entry.failingSinceMs,
    };
  }

  set(key: string, value: V, weight = 1): void {
    const existing = this.entries.get(key);
    if (existing) this.remove(key, existing);
    if (weight > this.maxWeight) return;
    this.entries.set(key, { value, weight, fetchedAtMs: this.now(), failingSinceMs: null });
    this.weight += weight;
    for (const [oldestKey, oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.weight <= this.maxWeight) break;
      this.remove(oldestKey, oldest);
    }
  }

  /** Records a failed refresh; returns the time of the first failure since the last success. */
  markFailure(key: string): number | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    entry.failingSinceMs ??= this.now();
    return entry.failingSinceMs;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalWeight(): number {
    return this.weight;
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }

  private remove(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.weight -= entry.weight;
  }
}

export interface StaleMarker {
  stale: true;
  /** First failed refresh of this result (epoch ms). */
  staleSinceMs: number;
  /** When the data served was fetched (epoch ms). */
  fetchedAtMs: number;
  error: { kind: PrometheusErrorKind; message: string };
}

export interface CachedResult<V> {
  value: V;
  fromCache: boolean;
  stale?: StaleMarker;
}

export interface ResultCacheOptions extends TtlLruCacheOptions {
  coalescer?: Coalescer;
}

/**
 * Fresh cache hit → cached value; otherwise one coalesced upstream call. When that fails for an
 * upstream reason (down, timeout, breaker open) and an older result exists, it is served marked stale.
 */
export class ResultCache<V> {
  private readonly cache: TtlLruCache<V>;
  private readonly coalescer: Coalescer;

  constructor(options: ResultCacheOptions) {
    this.cache = new TtlLruCache<V>(options);
    this.coalescer = options.coalescer ?? new Coalescer();
  }

  async get(
    key: string,
    fetcher: (signal: AbortSignal) => Promise<V>,
    options: { signal?: AbortSignal; weigh?: (value: V) => number; ttlMs?: number } = {},
  ): Promise<CachedResult<V>> {
    const hit = this.cache.get(key, options.ttlMs);
    if (hit?.fresh) return { value: hit.value, fromCache: true };
    try {
      const value = await this.coalescer.run(
        key,
        async (signal) => {
          const fetched = await fetcher(signal);
          this.cache.set(key, fetched, options.weigh?.(fetched) ?? 1);
          return fetched;
        },
        options.signal,
      );
      return { value, fromCache: false };
    } catch (error) {
      const previous = this.cache.get(key, options.ttlMs);
      if (!isPrometheusError(error) || !error.isUpstreamFailure || !previous) throw error;
      const staleSinceMs = this.cache.markFailure(key) ?? previous.fetchedAtMs;
      return {
        value: previous.value,
        fromCache: true,
        stale: {
          stale: true,
          staleSinceMs,
          fetchedAtMs: previous.fetchedAtMs,
          error: { kind: error.kind, message: error.message },
        },
      };
    }
  }

  get size(): number {
    return this.cache.size;
  }

  get totalWeight(): number {
    return this.cache.totalWeight;
  }

  get inFlight(): number {
    return this.coalescer.size;
  }
}
