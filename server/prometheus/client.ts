import 'server-only';
import { isBrokenCircuitError } from 'cockatiel';
import type { z } from 'zod';
import { timeUpstreamCall } from '@/server/observability/metrics';
import { GuardTimeoutError, type UpstreamGuard } from '@/server/upstream-guard';
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
import { describeCause, parseResponse } from './client-response';
import { CircuitOpenError, PrometheusTimeoutError, PrometheusUnreachableError } from './errors';
import { prometheusGuard, unguarded } from './guard';
import { httpExchange } from './http-transport';

export interface PrometheusClientOptions {
  /** Base URL of a Prometheus-compatible API, e.g. `http://127.0.0.1:9090` or `https://thanos/prom`. */
  url: string;
  /** Per-attempt limit unless a call passes its own. */
  timeoutMs?: number;
  /** Retry, breaker and timeout for this URL; defaults to the process-wide one, `false`: no retry, no breaker. */
  guard?: UpstreamGuard | false;
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
  private readonly guard: UpstreamGuard;
  private readonly headers: Record<string, string>;

  constructor(options: PrometheusClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.guard = options.guard === false ? unguarded(this.url) : (options.guard ?? prometheusGuard(this.url));
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
    const { data, warnings } = await this.call('query_range', 'POST', params, rangeDataSchema, options, query);
    return { resultType: 'matrix', result: data.result, warnings };
  }

  /** Series matching any of the selectors in the window. */
  async series(matchers: string[], window: TimeWindow = {}, options: CallOptions = {}): Promise<Labels[]> {
    if (matchers.length === 0) throw new RangeError('series needs at least one match[] selector');
    const params: Params = [...matchers.map((m): [string, string] => ['match[]', m]), ...timeParams(window)];
    return (await this.call('series', 'POST', params, seriesListSchema, options, matchers.join(' or '))).data;
  }

  async labelNames(filter: TimeWindow & { match?: string[] } = {}, options: CallOptions = {}): Promise<string[]> {
    const params: Params = [
      ...(filter.match ?? []).map((m): [string, string] => ['match[]', m]),
      ...timeParams(filter),
    ];
    return (await this.call('labels', 'POST', params, stringListSchema, options, filter.match?.join(' or '))).data;
  }

  async labelValues(
    labelName: string,
    filter: TimeWindow & { match?: string[] } = {},
    options: CallOptions = {},
  ): Promise<string[]> {
    const params: Params = [
      ...(filter.match ?? []).map((m): [string, string] => ['match[]', m]),
      ...timeParams(filter),
    ];
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
  ): Promise<{ data: z.output<S>; warnings: string[] }> {
    const operation = this.operationName(path);
    const context = { prometheusUrl: this.url, operation, query };
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return timeUpstreamCall('prometheus', operation, async () => {
      try {
        return await this.guard.execute((signal) => this.fetchOnce(path, method, params, schema, signal, context), {
          timeoutMs,
          signal: options.signal,
        });
      } catch (error) {
        if (error instanceof GuardTimeoutError) {
          throw new PrometheusTimeoutError(`Prometheus did not answer ${operation} within ${timeoutMs} ms`, {
            ...context,
            timeoutMs,
            cause: error,
          });
        }
        if (isBrokenCircuitError(error)) {
          const { openedAtMs, retryAtMs } = this.guard.snapshot();
          const now = Date.now();
          throw new CircuitOpenError({
            ...context,
            openedAtMs: openedAtMs ?? now,
            retryAtMs: retryAtMs ?? now,
            cause: error,
          });
        }
        throw error;
      }
    });
  }

  /** One attempt; `signal` is aborted when the caller gives up or the attempt's time is over. */
  private async fetchOnce<S extends z.ZodType>(
    path: string,
    method: 'GET' | 'POST',
    params: Params,
    schema: S,
    signal: AbortSignal,
    context: { prometheusUrl: string; operation: string; query: string | undefined },
  ): Promise<{ data: z.output<S>; warnings: string[] }> {
    const body = new URLSearchParams(params).toString();
    const endpoint = `${this.url}/api/v1/${path}`;
    const url = method === 'GET' && params.length > 0 ? `${endpoint}?${body}` : endpoint;

    let status: number;
    let text: string;
    try {
      ({ status, text } = await httpExchange(url, {
        method,
        signal,
        headers: {
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...this.headers,
        },
        body: method === 'POST' ? body : undefined,
      }));
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new PrometheusUnreachableError(`Cannot reach Prometheus at ${this.url}: ${describeCause(error)}`, {
        ...context,
        cause: error,
      });
    }
    return parseResponse(status, text, schema, context);
  }
}

const clientsKey = Symbol.for('burnrate.prometheus.clients');
type GlobalWithClients = typeof globalThis & { [clientsKey]?: Map<string, PrometheusClient> };

/** The process-wide client for a URL, sharing that URL's guard. */
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
