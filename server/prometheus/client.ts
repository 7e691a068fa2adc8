import 'server-only';
import type { z } from 'zod';
import { timeUpstreamCall } from '@/server/observability/metrics';
import {
  alertsSchema,
  buildInfoSchema,
  metadataSchema,
  queryDataSchema,
  rangeDataSchema,
  rulesSchema,
  seriesListSchema,
  stringListSchema,
  targetsSchema,
  type BuildInfo,
  type Labels,
  type MatrixSeries,
  type MetricMetadata,
  type PrometheusAlert,
  type QueryData,
  type RuleGroups,
  type Targets,
} from './api-schemas';
import { breakerFor, type CircuitBreaker } from './breaker';
import { classifyOutcome, describeCause, parseResponse } from './client-response';
import { PrometheusTimeoutError, PrometheusUnreachableError } from './errors';
import { ExchangeTimeoutError, httpExchange } from './http-transport';
import { parseMatrixResponse } from './matrix-parse';

export interface PrometheusClientOptions {
  /** Base URL of a Prometheus-compatible API, e.g. `http://127.0.0.1:9090` or `https://thanos/prom`. */
  url: string;
  /** Per-call limit unless a call passes its own. */
  timeoutMs?: number;
  /** The breaker guarding this URL; defaults to the process-wide one, `false` disables it. */
  breaker?: CircuitBreaker | false;
  headers?: Record<string, string>;
}

export interface CallOptions {
  /** The browser request's signal: aborting it abandons the call without counting as an upstream failure. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface TimeWindow {
  startSeconds?: number;
  endSeconds?: number;
}

export type QueryResult = QueryData & { warnings: string[] };
export interface RangeQueryResult {
  resultType: 'matrix';
  result: MatrixSeries[];
  warnings: string[];
}

export const defaultTimeoutMs = 30_000;

/** A reader for the common shape of an answer; null sends the text the general way (JSON.parse, schema, errors). */
type FastPath<T> = (text: string) => { data: T; warnings: string[] } | null;

const matrixFastPath: FastPath<{ resultType: 'matrix'; result: MatrixSeries[] }> = (text) => {
  const parsed = parseMatrixResponse(text);
  return parsed && { data: { resultType: 'matrix', result: parsed.result }, warnings: parsed.warnings };
};

type Params = [name: string, value: string][];

function timeParams(window: TimeWindow): Params {
  const params: Params = [];
  if (window.startSeconds !== undefined) params.push(['start', formatSeconds(window.startSeconds)]);
  if (window.endSeconds !== undefined) params.push(['end', formatSeconds(window.endSeconds)]);
  return params;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`not a finite time: ${seconds}`);
  return String(Math.round(seconds * 1000) / 1000);
}

/** Mirrors the Prometheus HTTP API (`/api/v1/…`), one method per endpoint. */
export class PrometheusClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly breaker: CircuitBreaker | null;
  private readonly headers: Record<string, string>;

  constructor(options: PrometheusClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.breaker = options.breaker === false ? null : (options.breaker ?? breakerFor(this.url));
    this.headers = options.headers ?? {};
  }

  /** Instant query at `timeSeconds` (default: the server's now). */
  async query(query: string, options: CallOptions & { timeSeconds?: number } = {}): Promise<QueryResult> {
    const params: Params = [['query', query]];
    if (options.timeSeconds !== undefined) params.push(['time', formatSeconds(options.timeSeconds)]);
    const { data, warnings } = await this.call('query', 'POST', params, queryDataSchema, options, query);
    return { ...(data as QueryData), warnings };
  }

  async queryRange(
    query: string,
    range: { startSeconds: number; endSeconds: number; stepSeconds: number },
    options: CallOptions = {},
  ): Promise<RangeQueryResult> {
    if (!(range.stepSeconds > 0)) throw new RangeError(`step must be positive, got ${range.stepSeconds}`);
    const params: Params = [
      ['query', query],
      ['start', formatSeconds(range.startSeconds)],
      ['end', formatSeconds(range.endSeconds)],
      ['step', formatSeconds(range.stepSeconds)],
    ];
    const { data, warnings } = await this.call('query_range', 'POST', params, rangeDataSchema, options, query, matrixFastPath);
    return { resultType: 'matrix', result: data.result, warnings };
  }

  /** Series matching any of the selectors in the window. */
  async series(matchers: string[], window: TimeWindow = {}, options: CallOptions = {}): Promise<Labels[]> {
    if (matchers.length === 0) throw new RangeError('series needs at least one match[] selector');
    const params: Params = [...matchers.map((m): [string, string] => ['match[]', m]), ...timeParams(window)];
    return (await this.call('series', 'POST', params, seriesListSchema, options, matchers.join(' or '))).data;
  }

  async labelNames(filter: TimeWindow & { match?: string[] } = {}, options: CallOptions = {}): Promise<string[]> {
    const params: Params = [...(filter.match ?? []).map((m): [string, string] => ['match[]', m]), ...timeParams(filter)];
    return (await this.call('labels', 'POST', params, stringListSchema, options, filter.match?.join(' or '))).data;
  }

  async labelValues(
    labelName: string,
    filter: TimeWindow & { match?: string[] } = {},
    options: CallOptions = {},
  ): Promise<string[]> {
    const params: Params = [...(filter.match ?? []).map((m): [string, string] => ['match[]', m]), ...timeParams(filter)];
    const path = `label/${encodeURIComponent(labelName)}/values`;
    return (await this.call(path, 'GET', params, stringListSchema, options, filter.match?.join(' or '))).data;
  }

  async metadata(filter: { metric?: string; limit?: number } = {}, options: CallOptions = {}): Promise<MetricMetadata> {
    const params: Params = [];
    if (filter.metric !== undefined) params.push(['metric', filter.metric]);
    if (filter.limit !== undefined) params.push(['limit', String(filter.limit)]);
    return (await this.call('metadata', 'GET', params, metadataSchema, options)).data;
  }

  async rules(filter: { type?: 'alert' | 'record' } = {}, options: CallOptions = {}): Promise<RuleGroups> {
    const params: Params = filter.type ? [['type', filter.type]] : [];
    return (await this.call('rules', 'GET', params, rulesSchema, options)).data;
  }

  async alerts(options: CallOptions = {}): Promise<PrometheusAlert[]> {
    return (await this.call('alerts', 'GET', [], alertsSchema, options)).data.alerts;
  }

  async targets(filter: { state?: 'active' | 'dropped' | 'any' } = {}, options: CallOptions = {}): Promise<Targets> {
    const params: Params = filter.state ? [['state', filter.state]] : [];
    return (await this.call('targets', 'GET', params, targetsSchema, options)).data;
  }

  async buildInfo(options: CallOptions = {}): Promise<BuildInfo> {
    return (await this.call('status/buildinfo', 'GET', [], buildInfoSchema, options)).data;
  }

  private operationName(path: string): string {
    return path.startsWith('label/') ? 'label_values' : path.replace('/', '_');
  }

  private async call<S extends z.ZodType>(
    path: string,
    method: 'GET' | 'POST',
    params: Params,
    schema: S,
    options: CallOptions,
    query?: string,
    fastPath?: FastPath<z.output<S>>,
  ): Promise<{ data: z.output<S>; warnings: string[] }> {
    const operation = this.operationName(path);
    const request = (): Promise<{ data: z.output<S>; warnings: string[] }> =>
      this.fetchOnce(path, method, params, schema, options, operation, query, fastPath);
    return timeUpstreamCall('prometheus', operation, () =>
      this.breaker ? this.breaker.run({ operation, query }, request, classifyOutcome) : request(),
    );
  }

  private async fetchOnce<S extends z.ZodType>(
    path: string,
    method: 'GET' | 'POST',
    params: Params,
    schema: S,
    options: CallOptions,
    operation: string,
    query: string | undefined,
    fastPath?: FastPath<z.output<S>>,
  ): Promise<{ data: z.output<S>; warnings: string[] }> {
    const context = { prometheusUrl: this.url, operation, query };
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    options.signal?.throwIfAborted();
    const body = new URLSearchParams(params).toString();
    const endpoint = `${this.url}/api/v1/${path}`;
    const url = method === 'GET' && params.length > 0 ? `${endpoint}?${body}` : endpoint;

    let status: number;
    let text: string;
    try {
      ({ status, text } = await httpExchange(url, {
        method,
        signal: options.signal,
        timeoutMs,
        headers: {
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...this.headers,
        },
        body: method === 'POST' ? body : undefined,
      }));
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (error instanceof ExchangeTimeoutError) {
        throw new PrometheusTimeoutError(`Prometheus did not answer ${operation} within ${timeoutMs} ms`, {
          ...context,
          timeoutMs,
          cause: error,
        });
      }
      throw new PrometheusUnreachableError(`Cannot reach Prometheus at ${this.url}: ${describeCause(error)}`, {
        ...context,
        cause: error,
      });
    }
    const fast = status === 200 ? fastPath?.(text) : null;
    return fast ?? parseResponse(status, text, schema, context);
  }
}

const clientsKey = Symbol.for('burnrate.prometheus.clients');
type GlobalWithClients = typeof globalThis & { [clientsKey]?: Map<string, PrometheusClient> };

/** The process-wide client for a URL, sharing that URL's breaker. */
export function prometheusClient(url: string): PrometheusClient {
  const g = globalThis as GlobalWithClients;
  g[clientsKey] ??= new Map();
  const key = url.replace(/\/+$/, '');
  let client = g[clientsKey].get(key);
  if (!client) {
    client = new PrometheusClient({ url: key });
    g[clientsKey].set(key, client);
  }
  return client;
}
