import 'server-only';

export type PrometheusErrorKind = 'unreachable' | 'timeout' | 'bad-query' | 'server' | 'circuit-open';

interface PrometheusErrorContext {
  /** Base URL of the Prometheus-compatible API that failed. */
  prometheusUrl: string;
  /** API operation, e.g. `query_range`. */
  operation: string;
  /** PromQL or series selector sent, when the call had one. */
  query?: string;
  cause?: unknown;
}

const brand = Symbol.for('burnrate.prometheusError');

/** Any failure talking to a Prometheus-compatible upstream; routers map these to tRPC codes in one place. */
export abstract class PrometheusError extends Error {
  abstract readonly kind: PrometheusErrorKind;
  readonly [brand] = true;
  readonly prometheusUrl: string;
  readonly operation: string;
  readonly query: string | undefined;

  constructor(message: string, context: PrometheusErrorContext) {
    super(message, { cause: context.cause });
    this.prometheusUrl = context.prometheusUrl;
    this.operation = context.operation;
    this.query = context.query;
  }

  /** Whether a previous result may stand in for this failure (the query itself is not at fault). */
  get isUpstreamFailure(): boolean {
    return this.kind !== 'bad-query';
  }
}

export class PrometheusUnreachableError extends PrometheusError {
  readonly kind = 'unreachable';
  override readonly name = 'PrometheusUnreachableError';
}

export class PrometheusTimeoutError extends PrometheusError {
  readonly kind = 'timeout';
  override readonly name = 'PrometheusTimeoutError';
  /** Our per-call limit; null when Prometheus itself gave up (its `--query.timeout`). */
  readonly timeoutMs: number | null;

  constructor(message: string, context: PrometheusErrorContext & { timeoutMs: number | null }) {
    super(message, context);
    this.timeoutMs = context.timeoutMs;
  }
}

/** HTTP 400/422: the query is invalid or cannot be executed; retrying will not help. */
export class PrometheusBadQueryError extends PrometheusError {
  readonly kind = 'bad-query';
  override readonly name = 'PrometheusBadQueryError';
  readonly httpStatus: number;
  readonly errorType: string;
  readonly upstreamError: string;

  constructor(context: PrometheusErrorContext & { httpStatus: number; errorType: string; upstreamError: string }) {
    super(`Prometheus rejected the query (${context.errorType}): ${context.upstreamError}`, context);
    this.httpStatus = context.httpStatus;
    this.errorType = context.errorType;
    this.upstreamError = context.upstreamError;
  }
}

/** 5xx, or a response that does not match the Prometheus API. */
export class PrometheusServerError extends PrometheusError {
  readonly kind = 'server';
  override readonly name = 'PrometheusServerError';
  readonly httpStatus: number | undefined;

  constructor(message: string, context: PrometheusErrorContext & { httpStatus?: number }) {
    super(message, context);
    this.httpStatus = context.httpStatus;
  }
}

export class CircuitOpenError extends PrometheusError {
  readonly kind = 'circuit-open';
  override readonly name = 'CircuitOpenError';
  /** When the breaker opened (epoch ms). */
  readonly openedAtMs: number;
  /** When the next probe will be let through (epoch ms). */
  readonly retryAtMs: number;

  constructor(context: PrometheusErrorContext & { openedAtMs: number; retryAtMs: number }) {
    super(`Prometheus at ${context.prometheusUrl} is failing; calls are paused until a probe succeeds`, context);
    this.openedAtMs = context.openedAtMs;
    this.retryAtMs = context.retryAtMs;
  }
}

/**
 * `instanceof` fails across Next's route bundles (each has its own copy of these classes while the
 * breakers are process-wide), so errors are recognised by a process-wide brand instead.
 */
export function isPrometheusError(error: unknown): error is PrometheusError {
  return typeof error === 'object' && error !== null && (error as { [brand]?: unknown })[brand] === true;
}
