import 'server-only';

/**
 * The last good answer per panel view (panel, cluster, range as typed, width). The prometheus cache
 * keys on aligned times, so a relative range moves to a new key every step; this keeps a chart
 * drawn (marked stale) while Prometheus is down even after its window has moved on.
 */
export class LastGood<V> {
  private readonly entries = new Map<string, { value: V; fetchedAtMs: number; failingSinceMs: number | null }>();

  constructor(private readonly maxEntries = 1_000) {}

  remember(key: string, value: V, nowMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, fetchedAtMs: nowMs, failingSinceMs: null });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** The remembered value and when its failing streak began, or undefined. */
  recall(key: string, nowMs: number): { value: V; fetchedAtMs: number; failingSinceMs: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    entry.failingSinceMs ??= nowMs;
    return { value: entry.value, fetchedAtMs: entry.fetchedAtMs, failingSinceMs: entry.failingSinceMs };
  }
}
