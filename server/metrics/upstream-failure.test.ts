import { describe, expect, it } from 'vitest';
import { CircuitOpenError, PrometheusBadQueryError } from '@/server/prometheus/errors';
import { isUpstreamFailure, prometheusErrorKind } from './run-panel';

describe('isUpstreamFailure', () => {
  it('treats a breaker-open error as an upstream failure, a rejected query as not', () => {
    const open = new CircuitOpenError({
      prometheusUrl: 'http://p',
      operation: 'query_range',
      openedAtMs: 0,
      retryAtMs: 3000,
    });
    const bad = new PrometheusBadQueryError({
      prometheusUrl: 'http://p',
      operation: 'query_range',
      httpStatus: 400,
      errorType: 'bad_data',
      upstreamError: 'parse error',
    });
    expect(isUpstreamFailure(open)).toBe(true);
    expect(isUpstreamFailure(bad)).toBe(false);
  });

  it('recognises an error thrown by another bundle’s copy of the classes by its shape (fake: a copy cannot be loaded twice here)', () => {
    const foreign = Object.assign(new Error('Prometheus at http://p is failing'), {
      kind: 'circuit-open',
      prometheusUrl: 'http://p',
    });
    expect(prometheusErrorKind(foreign)).toBe('circuit-open');
    expect(isUpstreamFailure(foreign)).toBe(true);
    expect(isUpstreamFailure(new Error('a bug'))).toBe(false);
  });
});
