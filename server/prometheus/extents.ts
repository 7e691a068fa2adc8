import 'server-only';
import type { MatrixSeries } from './api-schemas';
import { TtlLruCache } from './cache';
import type { PrometheusClient, RangeQueryResult } from './client';

// A refreshing panel asks Prometheus only for the steps it has not seen settle. A range query is
// one instant evaluation per step, so a step's value depends on no other step: the steps of an
// answer older than the freshness window (late scrapes land within it) are kept per (Prometheus,
// query, step), and the next call over a window that starts inside them asks only for what comes
// after. A 7-day panel refreshed every 30 s asks for ~6 minutes instead of 7 days. Kept for
// `maxAgeMs` (then a whole range is asked again, so a correction in Prometheus shows within it);
// a window that starts before the kept steps is asked in full.

export interface ExtentOptions {
  /** How long kept steps are trusted before the whole range is asked again. */
  maxAgeMs?: number;
  /** Bound on kept samples over all queries (a 12-panel dashboard of 10 series × 361 steps keeps ~43k). */
  maxSamples?: number;
  now?: () => number;
}

export interface RangeWindow {
  /** Aligned to the step. */
  startSeconds: number;
  endSeconds: number;
  stepSeconds: number;
}

interface Extent {
  startSeconds: number;
  /** The last settled step kept. */
  endSeconds: number;
  series: MatrixSeries[];
  /** When its oldest part was asked for. */
  firstFetchedAtMs: number;
}

/**
 * False when a step's value may depend on the range asked or on later samples: an `@` modifier
 * (`@ end()`, `@ start()`, a fixed time) or a negative offset. Such queries are asked in full.
 * Conservative: an `@` inside a label value also counts.
 */
export function stepsAreIndependent(query: string): boolean {
  return !query.includes('@') && !/offset\s*-/i.test(query);
}

/** Prometheus's order of series in a range answer: label sets compared name by name, then value. */
function compareLabels(a: Record<string, string>, b: Record<string, string>): number {
  const aNames = Object.keys(a).sort();
  const bNames = Object.keys(b).sort();
  for (let i = 0; i < Math.min(aNames.length, bNames.length); i++) {
    const [an, bn] = [aNames[i]!, bNames[i]!];
    if (an !== bn) return an < bn ? -1 : 1;
    const [av, bv] = [a[an]!, b[bn]!];
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return aNames.length - bNames.length;
}

/** The samples of each series within [fromSeconds, toSeconds]; series left with none are dropped. */
export function sliceSeries(series: MatrixSeries[], fromSeconds: number, toSeconds: number): MatrixSeries[] {
  const sliced: MatrixSeries[] = [];
  for (const s of series) {
    const values = s.values.filter(([t]) => t >= fromSeconds && t <= toSeconds);
    if (values.length > 0) sliced.push({ metric: s.metric, values });
  }
  return sliced;
}

/** Series of a head and of the tail that follows it, joined by label set (a series may be in one only). */
export function joinSeries(head: MatrixSeries[], tail: MatrixSeries[]): MatrixSeries[] {
  const joined = new Map<string, MatrixSeries>();
  for (const s of head) joined.set(JSON.stringify(s.metric), { metric: s.metric, values: s.values });
  for (const s of tail) {
    const key = JSON.stringify(s.metric);
    const known = joined.get(key);
    joined.set(key, known ? { metric: known.metric, values: known.values.concat(s.values) } : s);
  }
  // A series that first appears in the tail takes its place in Prometheus's order (charts colour by position).
  return head.length === joined.size ? [...joined.values()] : [...joined.values()].sort((x, y) => compareLabels(x.metric, y.metric));
}

/** How long before now a step may still change: scrapes and rule evaluations landing late. */
export function settleSeconds(scrapeIntervalSeconds: number): number {
  return Math.max(300, 4 * scrapeIntervalSeconds);
}

const samplesOf = (extent: Extent): number => extent.series.reduce((n, s) => n + s.values.length, 1);

export interface ExtentFetcher {
  /**
   * The range's answer, asking Prometheus only for the steps after those kept for this query and
   * step; keeps the steps settled `freshnessSeconds` before now for the next call.
   */
  queryRange(client: PrometheusClient, query: string, window: RangeWindow, freshnessSeconds: number, signal: AbortSignal): Promise<RangeQueryResult>;
  readonly size: number;
}

export function createExtentFetcher(options: ExtentOptions = {}): ExtentFetcher {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  const kept = new TtlLruCache<Extent>({ ttlMs: maxAgeMs, staleTtlMs: maxAgeMs, maxEntries: 500, maxWeight: options.maxSamples ?? 500_000, now });

  async function queryRange(client: PrometheusClient, query: string, window: RangeWindow, freshnessSeconds: number, signal: AbortSignal): Promise<RangeQueryResult> {
    const { startSeconds, endSeconds, stepSeconds } = window;
    // Settled as of when Prometheus is asked, not when it has answered.
    const askedAtMs = now();
    const key = JSON.stringify([client.url, query, stepSeconds]);
    const reusable = stepsAreIndependent(query);
    const hit = reusable ? kept.get(key) : undefined;
    // Usable when it starts at or before the window and reaches into it (or just before it).
    const usable = hit?.fresh && askedAtMs - hit.value.firstFetchedAtMs < maxAgeMs && hit.value.startSeconds <= startSeconds && hit.value.endSeconds + stepSeconds >= startSeconds;
    const extent = usable ? hit.value : undefined;

    if (extent && extent.endSeconds >= endSeconds) {
      // Wholly settled (a window inside the kept steps): the kept steps stay as they are.
      return { resultType: 'matrix', result: sliceSeries(extent.series, startSeconds, endSeconds), warnings: [] };
    }
    let series: MatrixSeries[];
    let warnings: string[];
    if (extent) {
      const tail = await client.queryRange(query, { startSeconds: extent.endSeconds + stepSeconds, endSeconds, stepSeconds }, { signal });
      series = joinSeries(sliceSeries(extent.series, startSeconds, extent.endSeconds), tail.result);
      warnings = tail.warnings;
    } else {
      const whole = await client.queryRange(query, { startSeconds, endSeconds, stepSeconds }, { signal });
      series = whole.result;
      warnings = whole.warnings;
    }

    const settledEnd = Math.min(endSeconds, Math.floor((askedAtMs / 1000 - freshnessSeconds) / stepSeconds) * stepSeconds);
    const firstFetchedAtMs = extent?.firstFetchedAtMs ?? askedAtMs;
    // An answer with warnings (a partial answer from Thanos, say) is not kept: its gaps would stay.
    if (reusable && warnings.length === 0 && settledEnd >= startSeconds && askedAtMs - firstFetchedAtMs < maxAgeMs) {
      const next: Extent = {
        startSeconds,
        endSeconds: settledEnd,
        series: settledEnd === endSeconds ? series : sliceSeries(series, startSeconds, settledEnd),
        firstFetchedAtMs,
      };
      kept.set(key, next, samplesOf(next));
    }
    return { resultType: 'matrix', result: series, warnings };
  }

  return {
    queryRange,
    get size() {
      return kept.size;
    },
  };
}
