import 'server-only';
import { LRUCache } from 'lru-cache';

interface Remembered<V> {
  value: V;
  fetchedAtMs: number;
  failingSinceMs: number | null;
}

/**
 * The last good answer per panel view (panel, cluster, range as typed, width): what a panel shows,
 * marked "stale since …", while Prometheus fails. Keyed by the view rather than by aligned times,
 * which move every step, so it serves a relative range ("now-1h") long after its window moved on.
 */
export class LastGood<V> {
  private readonly entries: LRUCache<string, Remembered<V>>;

  constructor(maxEntries = 1_000) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  remember(key: string, value: V, nowMs: number): void {
    this.entries.set(key, { value, fetchedAtMs: nowMs, failingSinceMs: null });
  }

  /** The remembered value and when its failing streak began, or undefined. */
  recall(key: string, nowMs: number): { value: V; fetchedAtMs: number; failingSinceMs: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    entry.failingSinceMs ??= nowMs;
    return { value: entry.value, fetchedAtMs: entry.fetchedAtMs, failingSinceMs: entry.failingSinceMs };
  }
}
