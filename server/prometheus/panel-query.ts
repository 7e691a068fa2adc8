import 'server-only';
import type { Labels, MatrixSeries } from './api-schemas';
import { AnswerCache } from './cache';
import { prometheusClient, type PrometheusClient, type QueryResult, type RangeQueryResult } from './client';
import { defaultMaxPoints, downsample, topSeries, type Point, type RankBy } from './downsample';
import { PromQlBuildError, alignRange, rateWindow, stepFor, type PromQl } from './query-builder';

/** Which exporter metric a figure came from, shown next to the chart. */
export interface SourceDescription {
  metric: string;
  unit: string;
  description: string;
}

export interface PanelSeries {
  labels: Labels;
  /** [epoch ms, value]; after downsampling a NaN point marks a gap. */
  points: Point[];
}

export interface QueryWindow {
  stepSeconds: number;
  /** max(4 × scrape, step + scrape), for `rate`/`increase` inside the query. */
  rateWindowSeconds: number;
}

export interface RangePanelInput {
  prometheusUrl: string;
  /** PromQL, or a function of the step and rate window this call will use. */
  query: PromQl | ((window: QueryWindow) => PromQl);
  startMs: number;
  endMs: number;
  /** Chart width in points; capped at `maxPoints`. */
  pointsWanted: number;
  scrapeIntervalSeconds: number;
  maxSeries?: number;
  maxPoints?: number;
  rankBy?: RankBy;
  source?: SourceDescription;
  signal?: AbortSignal;
}

export interface RangePanelResult {
  series: PanelSeries[];
  omittedSeriesCount: number;
  stepSeconds: number;
  rateWindowSeconds: number;
  query: string;
  /** The aligned range actually queried. */
  startMs: number;
  endMs: number;
  downsampled: boolean;
  warnings: string[];
  source?: SourceDescription;
}

export interface InstantPanelInput {
  prometheusUrl: string;
  query: PromQl | ((window: QueryWindow) => PromQl);
  /** Evaluation time; default now. Floored to `scrapeIntervalSeconds` so repeated calls share the cache. */
  timeMs?: number;
  scrapeIntervalSeconds: number;
  maxSeries?: number;
  source?: SourceDescription;
  signal?: AbortSignal;
}

export interface InstantSample {
  labels: Labels;
  timestampMs: number;
  value: number;
}

export interface InstantPanelResult {
  series: InstantSample[];
  omittedSeriesCount: number;
  query: string;
  timeMs: number;
  warnings: string[];
  source?: SourceDescription;
}

export interface PanelQueryRunnerOptions {
  cacheTtlMs?: number;
  maxCacheEntries?: number;
  /** Bound on cached samples over all entries (≈ 100 bytes each). */
  maxCachedSamples?: number;
  clientFor?: (prometheusUrl: string) => PrometheusClient;
  now?: () => number;
}

export interface PanelQueryRunner {
  runRangePanel(input: RangePanelInput): Promise<RangePanelResult>;
  runInstantPanel(input: InstantPanelInput): Promise<InstantPanelResult>;
}

export const defaultMaxSeries = 50;

const toMs = (seconds: number): number => Math.round(seconds * 1000);

function sampleCount(result: RangeQueryResult | QueryResult): number {
  if (result.resultType === 'matrix') return result.result.reduce((n, s) => n + s.values.length, 1);
  if (result.resultType === 'vector') return result.result.length + 1;
  return 1;
}

function buildQuery(query: RangePanelInput['query'], window: QueryWindow): string {
  return typeof query === 'function' ? query(window) : query;
}

function toPanelSeries(series: MatrixSeries): PanelSeries {
  return { labels: series.metric, points: series.values.map(([t, v]): Point => [toMs(t), v]) };
}

export function createPanelQueryRunner(options: PanelQueryRunnerOptions = {}): PanelQueryRunner {
  const cacheOptions = {
    ttlMs: options.cacheTtlMs ?? 15_000,
    maxEntries: options.maxCacheEntries ?? 500,
    maxWeight: options.maxCachedSamples ?? 2_000_000,
    weigh: sampleCount,
    now: options.now,
  };
  const rangeCache = new AnswerCache<RangeQueryResult>(cacheOptions);
  const instantCache = new AnswerCache<QueryResult>(cacheOptions);
  const clientFor = options.clientFor ?? prometheusClient;
  const now = options.now ?? Date.now;

  async function runRangePanel(input: RangePanelInput): Promise<RangePanelResult> {
    if (!(input.endMs > input.startMs)) throw new RangeError('endMs must be after startMs');
    const maxPoints = input.maxPoints ?? defaultMaxPoints;
    const pointsWanted = Math.min(input.pointsWanted, maxPoints);
    const rangeSeconds = (input.endMs - input.startMs) / 1000;
    const stepSeconds = stepFor(rangeSeconds, pointsWanted, input.scrapeIntervalSeconds);
    const aligned = alignRange(input.startMs / 1000, input.endMs / 1000, stepSeconds);
    const window = { stepSeconds, rateWindowSeconds: rateWindow(input.scrapeIntervalSeconds, stepSeconds) };
    const query = buildQuery(input.query, window);
    const client = clientFor(input.prometheusUrl);
    const key = JSON.stringify([client.url, 'range', query, aligned.startSeconds, aligned.endSeconds, stepSeconds]);
    const answer = await rangeCache.get(
      key,
      (signal) => client.queryRange(query, { ...aligned, stepSeconds }, { signal }),
      input.signal,
    );
    const ranked = topSeries(
      answer.result.map(toPanelSeries),
      input.maxSeries ?? defaultMaxSeries,
      input.rankBy ?? 'mean',
    );
    let downsampled = false;
    const gapThresholdMs = stepSeconds * 1500;
    const series = ranked.series.map((s) => {
      if (s.points.length <= maxPoints) return s;
      downsampled = true;
      return { labels: s.labels, points: downsample(s.points, maxPoints, { gapThresholdMs }) };
    });
    return {
      series,
      omittedSeriesCount: ranked.omittedCount,
      ...window,
      query,
      startMs: toMs(aligned.startSeconds),
      endMs: toMs(aligned.endSeconds),
      downsampled,
      warnings: answer.warnings,
      ...(input.source ? { source: input.source } : {}),
    };
  }

  async function runInstantPanel(input: InstantPanelInput): Promise<InstantPanelResult> {
    const alignSeconds = input.scrapeIntervalSeconds;
    const timeSeconds = Math.floor((input.timeMs ?? now()) / 1000 / alignSeconds) * alignSeconds;
    const window = {
      stepSeconds: input.scrapeIntervalSeconds,
      rateWindowSeconds: rateWindow(input.scrapeIntervalSeconds, input.scrapeIntervalSeconds),
    };
    const query = buildQuery(input.query, window);
    const client = clientFor(input.prometheusUrl);
    const key = JSON.stringify([client.url, 'instant', query, timeSeconds]);
    const result = await instantCache.get(key, (signal) => client.query(query, { timeSeconds, signal }), input.signal);
    let samples: InstantSample[];
    if (result.resultType === 'vector') {
      samples = result.result.map((s) => ({ labels: s.metric, timestampMs: toMs(s.value[0]), value: s.value[1] }));
    } else if (result.resultType === 'scalar') {
      samples = [{ labels: {}, timestampMs: toMs(result.result[0]), value: result.result[1] }];
    } else {
      throw new PromQlBuildError(`an instant panel needs a vector or scalar query, got a ${result.resultType}`);
    }
    const ranked = topSeries(
      samples.map((s) => ({ sample: s, points: [[s.timestampMs, s.value]] as Point[] })),
      input.maxSeries ?? defaultMaxSeries,
      'last',
    );
    return {
      series: ranked.series.map((r) => r.sample),
      omittedSeriesCount: ranked.omittedCount,
      query,
      timeMs: toMs(timeSeconds),
      warnings: result.warnings,
      ...(input.source ? { source: input.source } : {}),
    };
  }

  return { runRangePanel, runInstantPanel };
}

const runnerKey = Symbol.for('burnrate.prometheus.panelRunner');
type GlobalWithRunner = typeof globalThis & { [runnerKey]?: PanelQueryRunner };

function defaultRunner(): PanelQueryRunner {
  const g = globalThis as GlobalWithRunner;
  g[runnerKey] ??= createPanelQueryRunner();
  return g[runnerKey];
}

/** A range chart's data: step from the chart width, aligned range, cached, coalesced, capped in series and points. */
export function runRangePanel(input: RangePanelInput): Promise<RangePanelResult> {
  return defaultRunner().runRangePanel(input);
}

/** A single-value or table panel's data at one time. */
export function runInstantPanel(input: InstantPanelInput): Promise<InstantPanelResult> {
  return defaultRunner().runInstantPanel(input);
}
