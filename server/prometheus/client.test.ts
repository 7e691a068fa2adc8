import { createServer } from 'node:http';
import { silentServerPerSuite } from '@/server/testing/silent-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from './client';
import {
  PrometheusBadQueryError,
  PrometheusServerError,
  PrometheusTimeoutError,
  PrometheusUnreachableError,
} from './errors';
import { checkPrometheusHealth } from './health';
import { wantsGzip } from './http-transport';
import { eq, selector } from './query-builder';
import { freePort } from '@/scripts/lib/ports';
import { openMetricsText, startPrometheus, type PrometheusProcess } from './testing/prometheus-process';

const nowSeconds = Math.floor(Date.now() / 1000);
const startSeconds = nowSeconds - 3600;
const tricky = 'a "quoted" \\ back\\slash\nnew line';

let prometheus: PrometheusProcess;
let client: PrometheusClient;

beforeAll(async () => {
  const minutes = Array.from({ length: 61 }, (_, i) => startSeconds + i * 60);
  prometheus = await startPrometheus({
    openMetrics: openMetricsText([
      { name: 'test_gauge', labels: { pod: 'a' }, samples: minutes.map((t, i) => [t, i]) },
      { name: 'test_gauge', labels: { pod: 'b' }, samples: minutes.map((t) => [t, 0.5]) },
      { name: 'test_gauge', labels: { pod: tricky }, samples: minutes.map((t) => [t, 42]) },
      { name: 'test_special', labels: { kind: 'nan' }, samples: [[nowSeconds - 30, Number.NaN]] },
      { name: 'test_special', labels: { kind: 'inf' }, samples: [[nowSeconds - 30, Number.POSITIVE_INFINITY]] },
    ]),
  });
  client = new PrometheusClient({ url: prometheus.url, guard: false });
});

afterAll(async () => {
  await prometheus?.close();
});

describe('PrometheusClient against a real Prometheus', () => {
  it('runs a range query and returns parsed numbers at the requested step', async () => {
    const result = await client.queryRange('test_gauge{pod="a"}', {
      startSeconds,
      endSeconds: startSeconds + 600,
      stepSeconds: 120,
    });
    expect(result.result).toHaveLength(1);
    // Samples every 60 s with value = minute index: t0+0 → 0, t0+120 → 2, … t0+600 → 10.
    expect(result.result[0]?.values).toEqual([0, 2, 4, 6, 8, 10].map((v) => [startSeconds + v * 60, v]));
  });

  it('reads the same answer compressed or not (uncompressed from a Prometheus on this machine)', async () => {
    const range = { startSeconds, endSeconds: startSeconds + 600, stepSeconds: 60 };
    const plain = await client.queryRange('test_gauge', range);
    process.env.PROMETHEUS_COMPRESSION = 'gzip';
    try {
      expect(await client.queryRange('test_gauge', range)).toEqual(plain);
    } finally {
      delete process.env.PROMETHEUS_COMPRESSION;
    }
    expect(plain.result.length).toBeGreaterThan(0);
    expect(wantsGzip(new URL('http://127.0.0.1:9090'))).toBe(false);
    expect(wantsGzip(new URL('http://[::1]:9090'))).toBe(false);
    expect(wantsGzip(new URL('http://prometheus.monitoring.svc:9090'))).toBe(true);
    expect(wantsGzip(new URL('http://127.0.0.1:9090'), 'gzip')).toBe(true);
    expect(wantsGzip(new URL('http://10.0.0.5:9090'), 'none')).toBe(false);
  });

  it('runs instant queries of every result type', async () => {
    const vector = await client.query('sum(test_gauge{pod=~"a|b"})', { timeSeconds: startSeconds + 600 });
    // pod a = 10 (minute 10), pod b = 0.5 → 10.5
    expect(vector.resultType).toBe('vector');
    expect(vector.resultType === 'vector' && vector.result[0]?.value).toEqual([startSeconds + 600, 10.5]);
    const scalar = await client.query('scalar(vector(3)) * 2', { timeSeconds: startSeconds });
    expect(scalar.resultType === 'scalar' && scalar.result).toEqual([startSeconds, 6]);
    const text = await client.query('"hello"', { timeSeconds: startSeconds });
    expect(text.resultType === 'string' && text.result).toEqual([startSeconds, 'hello']);
  });

  it('parses NaN and +Inf sample values', async () => {
    const result = await client.query('test_special', { timeSeconds: nowSeconds });
    const byKind = Object.fromEntries(
      result.resultType === 'vector' ? result.result.map((s) => [s.metric.kind, s.value[1]]) : [],
    );
    expect(byKind.nan).toBeNaN();
    expect(byKind.inf).toBe(Number.POSITIVE_INFINITY);
  });

  it('round-trips a label value with quotes, backslashes and a newline through an exact matcher', async () => {
    const query = selector('test_gauge', [eq('pod', tricky)]);
    const result = await client.query(query, { timeSeconds: nowSeconds - 60 });
    expect(result.resultType === 'vector' && result.result.map((s) => s.metric.pod)).toEqual([tricky]);
  });

  it('lists series, label names, label values and server metadata', async () => {
    const series = await client.series(['test_gauge'], { startSeconds, endSeconds: nowSeconds });
    expect(series.map((s) => s.pod).sort()).toEqual(['a', 'b', tricky].sort());
    expect(await client.labelNames({ match: ['test_gauge'] })).toEqual(['__name__', 'pod']);
    expect(await client.labelValues('__name__')).toEqual(['test_gauge', 'test_special']);
    expect(await client.labelValues('kind', { match: ['test_special'] })).toEqual(['inf', 'nan']);
    expect(await client.metadata()).toEqual({});
    expect(await client.rules()).toEqual({ groups: [] });
    expect(await client.alerts()).toEqual([]);
    expect((await client.targets()).activeTargets).toEqual([]);
    expect((await client.buildInfo()).version).toMatch(/^2\./);
  });

  it('throws PrometheusBadQueryError with errorType and the query for invalid PromQL', async () => {
    const error = await client.query('sum(rate(test_gauge[5m])').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusBadQueryError);
    const badQuery = error as PrometheusBadQueryError;
    expect(badQuery.httpStatus).toBe(400);
    expect(badQuery.errorType).toBe('bad_data');
    expect(badQuery.query).toBe('sum(rate(test_gauge[5m])');
    expect(badQuery.prometheusUrl).toBe(prometheus.url);
  });

  it('rethrows the caller abort reason instead of an upstream error', async () => {
    const controller = new AbortController();
    controller.abort(new Error('browser went away'));
    await expect(client.query('up', { signal: controller.signal })).rejects.toThrow('browser went away');
  });
});

describe('PrometheusClient failures', () => {
  const silent = silentServerPerSuite();

  it('throws PrometheusUnreachableError when nothing listens', async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const error = await new PrometheusClient({ url: deadUrl, guard: false }).query('up').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusUnreachableError);
    expect((error as PrometheusUnreachableError).message).toContain('ECONNREFUSED');
    expect((error as PrometheusUnreachableError).query).toBe('up');
  });

  it('throws PrometheusTimeoutError when the server hangs past the timeout (fake hanging server)', async () => {
    const hanging = new PrometheusClient({ url: silent.url, guard: false, timeoutMs: 200 });
    const error = await hanging
      .queryRange('up', { startSeconds: 0, endSeconds: 60, stepSeconds: 15 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusTimeoutError);
    expect((error as PrometheusTimeoutError).timeoutMs).toBe(200);
  });

  it('times out an answer whose body stops half way, and an abort by the caller stays an abort', async () => {
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success","data":{"resultType":"matrix","result":[');
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    const address = stalling.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const client = new PrometheusClient({ url, guard: false, timeoutMs: 200 });
      const error = await client
        .queryRange('up', { startSeconds: 0, endSeconds: 60, stepSeconds: 15 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PrometheusTimeoutError);
      const controller = new AbortController();
      const reason = new Error('the browser went away');
      setTimeout(() => controller.abort(reason), 50);
      const aborted = await new PrometheusClient({ url, guard: false, timeoutMs: 5_000 })
        .query('up', { signal: controller.signal })
        .catch((e: unknown) => e);
      expect(aborted).toBe(reason);
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  it('throws PrometheusServerError for a non-API answer', async () => {
    const notPrometheus = new PrometheusClient({ url: `${prometheus.url}/nowhere`, guard: false });
    const error = await notPrometheus.query('up').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusServerError);
    expect((error as PrometheusServerError).httpStatus).toBe(404);
  });
});

describe('checkPrometheusHealth', () => {
  it('reports the version of a live Prometheus and the reason a dead one failed', async () => {
    const live = await checkPrometheusHealth(prometheus.url);
    expect(live).toMatchObject({ ok: true, error: null, breaker: { state: 'closed' } });
    expect(live.version).toMatch(/^2\./);
    const dead = await checkPrometheusHealth(`http://127.0.0.1:${await freePort()}`);
    // One check, two retries of the refused connection.
    expect(dead).toMatchObject({
      ok: false,
      version: null,
      error: { kind: 'unreachable' },
      breaker: { consecutiveFailures: 3 },
    });
  });
});
