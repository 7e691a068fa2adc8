import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHourlyRates } from '@/demo/billing/focus-compute-lines';
import { clusters } from '@/demo/topology';
import { importFocusFile } from '@/server/billing/import';
import { costDayTotals, costRunsOf, type CostDayTotals } from '@/server/db/cost-results';
import { getDatabase } from '@/server/db/client';
import { createTestDatabase, testDrivers, type TestDatabase } from '@/server/db/testing';
import { startDemoHistory, type DemoHistory } from './testing/demo-history';
import { enqueueImport, onBillingImported } from '@/server/billing/ingest-service';
import { runCostPass, type CostJobOptions } from './job';
import { runNow, startCostJob, stopCostJob } from './job-runner';

// The job over 4 hours of the demo's history in a real Prometheus (port offset 800), priced by the
// demo's bill, on both database drivers.

const drivers = await testDrivers();

describe('the allocation job on the demo', () => {
  let history: DemoHistory;
  beforeAll(async () => {
    history = await startDemoHistory({ hours: 4, portOffset: 800 });
  }, 600_000);
  afterAll(async () => {
    await history?.close();
  });

  describe.each(drivers)('on %s', (driver) => {
    let database: TestDatabase;
    let options: CostJobOptions;

    beforeAll(async () => {
      database = await createTestDatabase(driver);
      for (const file of history.billFiles) await importFocusFile(database, { path: file }, { actor: 'test' });
      options = {
        database,
        clusters: clusters.map((c) => ({ name: c.name, prometheusUrl: history.prometheusUrl })),
        clusterLabel: 'cluster',
        scrapeIntervalSeconds: 15,
        log: pino({ level: 'silent' }),
        now: () => history.toMs + 5 * 60_000,
      };
    }, 300_000);
    afterAll(async () => {
      await database?.destroy();
    });

    const dayFigures = (): Promise<CostDayTotals[]> => costDayTotals(database.db, '2000-01-01', '2100-01-01');

    it('backfills every hour Prometheus holds; allocated + idle per cluster-day is the bill of its nodes', async () => {
      const report = await runCostPass(options);
      expect(report.failedClusters).toEqual([]);
      const figures = await dayFigures();
      // 4 hours per cluster, and the hour before: the history's first samples, at its start, end that hour's window.
      expect(figures.reduce((s, f) => s + f.hours, 0)).toBe(2 * 5);
      for (const f of figures) {
        const spec = clusters.find((c) => c.name === f.cluster)!;
        // Every demo node runs every hour: the bill is Σ nodes' EffectiveCost rate × hours, from the demo's price sheet.
        const billed = spec.nodes
          .reduce((s, n) => s.plus(nodeHourlyRates(n).effectiveUsd), new Decimal(0))
          .times(f.hours);
        const allocatedPlusIdle = new Decimal(f.allocated).plus(f.idle);
        expect(new Decimal(f.nodeCost).toFixed()).toBe(billed.toFixed());
        expect(allocatedPlusIdle.minus(billed).abs().dividedBy(billed).toNumber()).toBeLessThan(0.01);
        expect(new Decimal(f.allocated).greaterThan(0)).toBe(true);
        // The EKS control plane at $0.10 an hour is the cluster's shared cost (plus its volumes and transfer).
        expect(new Decimal(f.shared).greaterThanOrEqualTo(new Decimal('0.1').times(f.hours))).toBe(true);
      }
      // The hours of a day before the history (billed, no metrics) are counted, so reconcile can name its gap.
      for (const f of figures) {
        const run = (await costRunsOf(database.db, f.cluster, f.day, f.day)).get(f.day)!;
        expect(run.hoursWithoutMetrics).toBe(run.hoursComputed - f.hours);
      }
      expect(figures.reduce((n, f) => n + f.podRows, 0)).toBeGreaterThan(8 * 200);
      expect([...new Set(figures.flatMap((f) => f.costSources))]).toEqual(['bill']);
    }, 300_000);

    it('has nothing to do on the next pass, and runs the days again when a newer bill covers them', async () => {
      expect((await runCostPass(options)).ranges).toBe(0);
      const before = await dayFigures();
      const file = history.billFiles.at(-1)!;
      // The same export with one more (empty) column: a new file, the same prices.
      const text = readFileSync(file, 'utf8')
        .replace(/\n/g, ',\n')
        .replace(/^([^\n]*),\n/, '$1,x_Note\n');
      const again = `${file}.again.csv`;
      writeFileSync(again, text);
      const imported = await importFocusFile(database, { path: again }, { actor: 'test' });
      expect(imported.status).toBe('imported');
      const rerun = await runCostPass(options);
      // Both clusters' days in the re-exported month (all of them, unless the 4 hours cross a month).
      expect(rerun.ranges).toBeGreaterThanOrEqual(2);
      expect(await dayFigures()).toEqual(before);
      const runs = await Promise.all(clusters.map((c) => costRunsOf(database.db, c.name, '2000-01-01', '2100-01-01')));
      const runIds = runs.flatMap((byDay) => [...byDay.values()].map((r) => r.billImportIds));
      expect(runIds.filter((ids) => ids.includes(imported.importId))).toHaveLength(rerun.ranges);
    }, 300_000);
  });
  describe('inside the app process (configuration, database and runner as the server starts them)', () => {
    let database: TestDatabase;
    let dir: string;
    const saved = { ...process.env };

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      dir = mkdtempSync(path.join(tmpdir(), 'burnrate-cost-job-'));
      const config = path.join(dir, 'burnrate.config.yaml');
      const entries = clusters.map((c) => `  - { name: ${c.name}, prometheusUrl: '${history.prometheusUrl}' }`);
      writeFileSync(config, `clusters:\n${entries.join('\n')}\n`);
      Object.assign(process.env, {
        BURNRATE_CONFIG: config,
        DATABASE_URL: database.url,
        BURNRATE_HOME: dir,
        LOG_LEVEL: 'silent',
      });
    }, 120_000);
    afterAll(async () => {
      await stopCostJob();
      await (await getDatabase()).close();
      process.env = saved;
      await database?.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    it('allocates every configured cluster on its first pass, priced by OpenCost while no bill is imported', async () => {
      startCostJob();
      await runNow();
      for (const cluster of clusters) {
        const runs = await costRunsOf(database.db, cluster.name, '2000-01-01', '2100-01-01');
        expect([...runs.values()].reduce((n, r) => n + r.podHours, 0)).toBeGreaterThan(200);
      }
      const totals = await costDayTotals(database.db, '2000-01-01', '2100-01-01');
      expect([...new Set(totals.flatMap((t) => t.costSources))]).toEqual(['opencost']);
    }, 300_000);

    it('prices the days again by the bill once an import is committed', async () => {
      const heard: number[] = [];
      const stop = onBillingImported((result) => {
        heard.push(result.importId);
        void runNow();
      });
      const ids: number[] = [];
      for (const file of history.billFiles) {
        const outcome = await enqueueImport(file, path.basename(file), 'test');
        if (outcome.status !== 'imported') throw new Error(`import ${outcome.status}`);
        ids.push(outcome.result.importId);
      }
      stop();
      expect(heard).toEqual(ids);
      await runNow();
      const totals = await costDayTotals(database.db, '2000-01-01', '2100-01-01');
      expect([...new Set(totals.flatMap((t) => t.costSources))]).toEqual(['bill']);
    }, 300_000);
  });
});
