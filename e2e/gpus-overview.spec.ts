import { demoRuntime, startPrometheusAgain, stopPrometheus } from './fixtures/demo-runtime';
import { expect, test } from './fixtures/test';
import { GpusPage } from './pages/gpus-page';
import { OverviewPage } from './pages/overview-page';

async function prometheusReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/-/ready`)).ok;
  } catch {
    return false;
  }
}

test('the GPU page shows the demo fleet: KPIs, heatmap, workloads and devices', async ({ page }) => {
  const gpus = new GpusPage(page);
  await gpus.goto();
  await expect(gpus.kpiValue('allocated')).toHaveText(/^\d+ \/ \d+$/);
  await expect(gpus.kpiValue('activity')).toHaveText(/^\d+(\.\d)? %$/);
  await expect(gpus.kpiValue('memory')).toHaveText(/\d (MiB|GiB|TiB)$/);
  await expect(gpus.kpiValue('power')).toHaveText(/\d (W|kW)$/);
  await expect(gpus.kpiValue('idle')).toHaveText(/^\d+ GPUs?$/);
  // No invented money: the idle cost waits for the cost model.
  await expect(gpus.idleCost).toContainText('Not available yet');
  await expect(gpus.heatmap).toHaveAttribute('data-row-count', /^[1-9]\d*$/);
  await expect(gpus.deviceRows.first()).toContainText(/NVIDIA (A10G|A100|H100|L4)/);
  await expect(gpus.workloadRows.first()).toBeVisible();
  const promql = await gpus.openQuery('activity');
  await expect(promql).toContainText(/avg \(max by \(cluster, UUID\) \(DCGM_FI_/);
  await expect(gpus.panel('activity').getByRole('link', { name: 'Open in Prometheus' })).toHaveAttribute(
    'href',
    /\/graph\?g0\.expr=/,
  );
});

test('the Overview shows every KPI from the demo, per cluster', async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.goto();
  await expect(overview.kpiValue('gpu-activity')).toHaveText(/^\d+(\.\d)? %$/);
  await expect(overview.kpiValue('requests')).toHaveText(/req\/s$/);
  await expect(overview.kpiValue('latency')).toHaveText(/\d (ms|s)$/);
  await expect(overview.kpiValue('cost')).toHaveText(/^\$[\d,]+\.\d{2}\/h$/);
  await expect(overview.kpi('cost')).toContainText('Cost per hour, estimate');
  await expect(overview.kpi('cost')).toContainText('OpenCost list price');
  await expect(overview.kpiValue('energy')).toHaveText(/kWh\/h$/);
  await expect(overview.kpiValue('alerts')).toHaveText(/^\d+$/);
  await expect(overview.kpiValue('pipelines')).toHaveText(/^\d+$/);
  await expect(overview.clusterRows).toHaveCount(2);
  await expect(overview.kpi('gpu-activity')).toHaveAttribute('href', /^\/gpus\?/);
});

test('Prometheus stopped: stale badge within one refresh, no console error, recovery once it is back', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const gpus = new GpusPage(page);
  await gpus.goto('?from=now-1h&to=now&refresh=10s');
  await expect(gpus.kpiValue('power')).toHaveText(/\d (W|kW)$/);
  const powerBefore = await gpus.kpiValue('power').textContent();

  stopPrometheus();
  try {
    // The next refresh (10 s) plus its request: the figures stay on screen, marked stale with the error.
    await expect(gpus.panel('power').getByTestId('stale-badge')).toBeVisible({ timeout: 15_000 });
    await expect(gpus.panel('power').getByTestId('stale-badge')).toContainText('stale since');
    await expect(gpus.kpiValue('power')).toHaveText(powerBefore ?? '');
    await expect(gpus.panel('power').getByTestId('chart-time-series')).toBeVisible();
  } finally {
    startPrometheusAgain();
  }
  await expect.poll(() => prometheusReady(demoRuntime().prometheusUrl), { timeout: 60_000 }).toBe(true);
  await expect(gpus.staleBadges).toHaveCount(0, { timeout: 10_000 });
  await expect(gpus.panel('power')).toHaveAttribute('data-state', 'ok');
});
