import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries } from '@/server/db/audit';
import { createTestDatabase, type TestDatabase } from '@/server/db/testing';
import { DomainError } from '@/server/errors';
import { PrometheusClient } from '@/server/prometheus/client';
import { createPanelQueryRunner } from '@/server/prometheus/panel-query';
import {
  openMetricsText,
  startPrometheus,
  type PrometheusProcess,
} from '@/server/prometheus/testing/prometheus-process';
import { metricsRouter } from '@/server/routers/metrics';
import { createCallerFactory } from '@/server/trpc/init';
import { explorePromQl, type ExploreDeps } from './explore';
import { defaultPanelDeps } from './run-panel';
import { fixtureSeries, plainCluster, scrapeIntervalSeconds } from './testing/fixture';

// The admin-only explore box against a real Prometheus; its audit entries in a real database.

const nowSeconds = Math.floor(Date.now() / 1000 / scrapeIntervalSeconds) * scrapeIntervalSeconds;
const lastHour = { from: `${(nowSeconds - 3600) * 1000}`, to: `${nowSeconds * 1000}` };
const admin = {
  user: { id: 'a', name: 'ada', role: 'admin' as const, provider: 'demo' as const, groups: [] },
  requestId: 'req-explore',
};
let prometheus: PrometheusProcess;
let database: TestDatabase;
let deps: ExploreDeps;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: openMetricsText(fixtureSeries(nowSeconds)) });
  database = await createTestDatabase('pglite');
  deps = {
    panel: {
      ...defaultPanelDeps(),
      settings: { ...defaultPanelDeps().settings, prometheusUrl: prometheus.url, scrapeIntervalSeconds },
      runner: createPanelQueryRunner({ cacheTtlMs: 0 }),
    },
    audit: (entry) => import('@/server/db/audit').then(({ insertAuditEntry }) => insertAuditEntry(database.db, entry)),
  };
});

afterAll(async () => {
  await prometheus?.close();
  await database?.destroy();
});

describe('explore: an admin’s ad-hoc PromQL', () => {
  it('answers as a panel does, equal to the same query sent straight to Prometheus, and is audited', async () => {
    const query = `sum by (cluster) (DCGM_FI_DEV_POWER_USAGE{cluster="${plainCluster}"})`;
    const answer = await explorePromQl({ query, range: lastHour, pointsWanted: 120 }, admin, undefined, deps);
    if (answer.status !== 'ok') throw new Error(JSON.stringify(answer));
    expect(answer.series).toHaveLength(1);
    expect(answer.series[0]!.name).toBe(`{cluster="${plainCluster}"}`);
    expect(answer.queries[0]!.promql).toBe(query);
    const direct = await new PrometheusClient({ url: prometheus.url, guard: false }).queryRange(query, {
      startSeconds: answer.startMs / 1000,
      endSeconds: answer.endMs / 1000,
      stepSeconds: answer.stepSeconds,
    });
    const expected = direct.result[0]!.values.map(([, v]) => v);
    answer.series[0]!.v.forEach((v, i) =>
      expect(Math.abs(v! - expected[i]!)).toBeLessThanOrEqual(Math.abs(expected[i]!) * 1e-6),
    );

    const [entry] = await listAuditEntries(database.db, { limit: 1 });
    expect(entry).toMatchObject({
      actor: 'ada',
      role: 'admin',
      verb: 'explore-promql',
      result: 'succeeded',
      requestId: 'req-explore',
      message: '1 series',
    });
    expect(entry!.parameters).toMatchObject({ query });
  });

  it('caps the series it sends (top 20, the rest counted)', async () => {
    // Every DCGM series of the fixture: more than 20.
    const many = await explorePromQl(
      { query: '{__name__=~"DCGM_.*"}', range: lastHour, pointsWanted: 60 },
      admin,
      undefined,
      deps,
    );
    if (many.status !== 'ok') throw new Error(JSON.stringify(many));
    expect(many.series.length).toBeLessThanOrEqual(20);
    expect(many.series.length + many.omittedSeriesCount).toBeGreaterThan(20);
  });

  it('refuses a query Prometheus cannot parse with Prometheus’s own message, and audits the failure', async () => {
    const error = await explorePromQl(
      { query: 'sum(rate(foo[5m]', range: lastHour, pointsWanted: 60 },
      admin,
      undefined,
      deps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_INPUT');
    expect((error as DomainError).message).toMatch(/parse error/);
    const [entry] = await listAuditEntries(database.db, { limit: 1 });
    expect(entry).toMatchObject({ verb: 'explore-promql', result: 'failed' });
    expect(entry!.message).toMatch(/parse error/);
  });

  it('refuses an empty query before Prometheus sees it', async () => {
    const error = await explorePromQl(
      { query: '   ', range: lastHour, pointsWanted: 60 },
      admin,
      undefined,
      deps,
    ).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('BAD_INPUT');
  });

  it('is for admins only: a viewer and an operator are refused', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const caller = createCallerFactory(metricsRouter)({
        requestId: 'test',
        user: { id: role, name: role, role, provider: 'demo', groups: [] },
        signal: new AbortController().signal,
      });
      await expect(caller.explore({ query: 'up', range: lastHour, pointsWanted: 60 })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
  });
});
