import { silentServerPerSuite } from '@/server/testing/silent-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamGuard } from '@/server/upstream-guard';
import { PrometheusClient } from './client';
import {
  CircuitOpenError,
  PrometheusBadQueryError,
  PrometheusTimeoutError,
  PrometheusUnreachableError,
} from './errors';
import { prometheusGuardOptions } from './guard';
import { startCountingProxy, type CountingProxy } from './testing/counting-proxy';
import { openMetricsText, startPrometheus, type PrometheusProcess } from './testing/prometheus-process';

// Retry, breaker and timeout (cockatiel) around the Prometheus client, against a real Prometheus
// behind a counting proxy: every attempt that reaches it is counted.

let prometheus: PrometheusProcess;
let proxy: CountingProxy;

beforeAll(async () => {
  const nowSeconds = Math.floor(Date.now() / 1000);
  prometheus = await startPrometheus({
    openMetrics: openMetricsText([{ name: 'queue_depth', labels: { pod: 'a' }, samples: [[nowSeconds - 60, 7]] }]),
  });
  proxy = await startCountingProxy(prometheus.url);
});

afterAll(async () => {
  await proxy?.close();
  await prometheus?.close();
});

const attempts = (): number => proxy.total('/api/v1/query');

describe('the Prometheus guard against a real Prometheus', () => {
  it('asks once for a rejected query (4xx) and does not count it, nor a caller abort, as a failure', async () => {
    const guard = new UpstreamGuard(proxy.url, prometheusGuardOptions({ failureThreshold: 1 }));
    const client = new PrometheusClient({ url: proxy.url, guard });
    const before = attempts();
    await expect(client.query('sum(rate(queue_depth[5m])')).rejects.toBeInstanceOf(PrometheusBadQueryError);
    expect(attempts() - before).toBe(1);

    const controller = new AbortController();
    proxy.hold();
    const pending = client.query('queue_depth', { signal: controller.signal });
    controller.abort(new Error('tab closed'));
    await expect(pending).rejects.toThrow('tab closed');
    proxy.release();
    expect(guard.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect((await client.query('queue_depth')).resultType).toBe('vector');
  });

  it('retries a dropped connection, opens after N failures, fails fast while open, and closes once Prometheus is back', async () => {
    const guard = new UpstreamGuard(
      proxy.url,
      prometheusGuardOptions({ failureThreshold: 4, halfOpenAfterMs: 1_000, retryDelayMs: 10 }),
    );
    const client = new PrometheusClient({ url: proxy.url, guard });
    await prometheus.stop();
    const before = attempts();
    // The proxy drops the connection (its upstream is gone): one call, two retries.
    await expect(client.query('queue_depth')).rejects.toBeInstanceOf(PrometheusUnreachableError);
    expect(attempts() - before).toBe(3);
    expect(guard.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 3 });

    // The fourth failure opens the breaker; the retry after it is refused without asking.
    await expect(client.query('queue_depth')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(attempts() - before).toBe(4);
    const open = guard.snapshot();
    expect(open).toMatchObject({
      state: 'open',
      consecutiveFailures: 4,
      lastError: expect.stringMatching(/Cannot reach Prometheus/),
    });
    expect(open.retryAtMs).toBe(open.openedAtMs! + 1_000);

    const refused = (await client.query('queue_depth').catch((e: unknown) => e)) as CircuitOpenError;
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused.retryAtMs).toBe(open.retryAtMs);
    expect(attempts() - before).toBe(4);

    await prometheus.restart();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, open.retryAtMs! - Date.now()) + 20));
    expect(guard.snapshot().state).toBe('half-open');
    const recovered = await client.query('queue_depth');
    expect(recovered.resultType === 'vector' && recovered.result[0]?.value[1]).toBe(7);
    expect(guard.snapshot()).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      failingSinceMs: null,
      openedAtMs: null,
    });
  });
});

describe('a stalled Prometheus (fake: a server that never answers, which a real one will not do on demand)', () => {
  const silent = silentServerPerSuite();

  it('times out without retrying, counts the timeout towards the breaker, then fails fast', async () => {
    const guard = new UpstreamGuard(silent.url, prometheusGuardOptions({ failureThreshold: 1 }));
    const client = new PrometheusClient({ url: silent.url, guard, timeoutMs: 200 });
    const error = await client.query('up').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusTimeoutError);
    expect((error as PrometheusTimeoutError).message).toContain('within 200 ms');
    expect(silent.requests).toBe(1);
    expect(guard.snapshot().state).toBe('open');
    await expect(client.query('up')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(silent.requests).toBe(1);
  });

  it('lets a caller waiting behind a hanging half-open probe go when it aborts', async () => {
    const guard = new UpstreamGuard(silent.url, prometheusGuardOptions({ failureThreshold: 1, halfOpenAfterMs: 100 }));
    const client = new PrometheusClient({ url: silent.url, guard, timeoutMs: 1_500 });
    await expect(client.query('up')).rejects.toBeInstanceOf(PrometheusTimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const settled: string[] = [];
    const probe = client.query('up').catch((e: unknown) => (settled.push('probe'), e));
    const controller = new AbortController();
    const waiting = client
      .query('up', { signal: controller.signal })
      .catch((e: unknown) => (settled.push('waiting'), e));
    setTimeout(() => controller.abort(new Error('tab closed')), 100);
    expect(await waiting).toMatchObject({ message: 'tab closed' });
    expect(await probe).toBeInstanceOf(PrometheusTimeoutError);
    // Released by its abort, before the probe timed out.
    expect(settled).toEqual(['waiting', 'probe']);
  });
});
