import 'server-only';
import { LRUCache } from 'lru-cache';
import { Coalescer } from './coalesce';

export interface AnswerCacheOptions<V extends object> {
  /** How long an answer is served without asking the upstream. */
  ttlMs: number;
  maxEntries?: number;
  /** Upper bound on the summed `weigh` of all entries (e.g. samples, ≈ 100 bytes each). */
  maxWeight?: number;
  weigh?: (value: V) => number;
  now?: () => number;
}

/**
 * Answers kept for a short TTL (lru-cache), and one upstream call per key at a time for the
 * callers that miss meanwhile (Coalescer). Failures are not cached and not served from here: a
 * panel's last good answer (server/metrics/last-good.ts) is what stands in during an outage.
 */
export class AnswerCache<V extends object> {
  private readonly cache: LRUCache<string, V>;
  private readonly coalescer = new Coalescer();

  constructor(options: AnswerCacheOptions<V>) {
    const weigh = options.weigh;
    this.cache = new LRUCache<string, V>({
      max: options.maxEntries ?? 500,
      ttl: options.ttlMs,
      ...(weigh
        ? { maxSize: options.maxWeight ?? 2_000_000, sizeCalculation: (value: V) => Math.max(1, weigh(value)) }
        : {}),
      ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
    });
  }

  /** The cached answer for `key`, or the (shared) answer of `fetch`; aborting `signal` stops waiting. */
  async get(key: string, fetch: (signal: AbortSignal) => Promise<V>, signal?: AbortSignal): Promise<V> {
    const hit = this.cache.get(key);
    if (hit) return hit;
    return this.coalescer.run(
      key,
      async (shared) => {
        const value = await fetch(shared);
        this.cache.set(key, value);
        return value;
      },
      signal,
    );
  }
}
