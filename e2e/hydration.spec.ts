// Each page's first queries are answered by its server component and handed to the browser's cache
// (server/trpc/prefetch.tsx): the HTML carries the figures, and the browser asks none of them again.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';

const range = '?from=now-24h&to=now';
const routes = [
  {
    name: 'Overview',
    path: `/overview${range}`,
    panels: ['panel-requests', 'panel-latency', 'panel-gpu', 'panel-cost', 'panel-energy'],
    figures: ['kpi-gpu-activity-value', 'kpi-requests-value', 'kpi-cost-value'],
    prefetched: ['metrics.panel', 'metrics.now', 'metrics.alerts'],
  },
  {
    name: 'GPUs',
    path: `/gpus${range}`,
    panels: [
      'panel-allocation',
      'panel-idle',
      'panel-activity',
      'panel-memory',
      'panel-power',
      'panel-heatmap',
      'panel-by-workload',
      'panel-waste',
      'panel-workloads',
      'panel-devices',
    ],
    figures: ['kpi-allocated-value', 'kpi-activity-value', 'kpi-power-value', 'device-row'],
    prefetched: ['metrics.panel', 'metrics.now', 'metrics.gpuWorkloads', 'metrics.gpuDevices'],
  },
  {
    name: 'a workload',
    path: `/workloads/us-east-prod/llm-serving/Deployment/chat-llm${range}`,
    panels: ['workload-panel-requests', 'workload-panel-latency', 'workload-panel-gpu', 'workload-panel-queue'],
    figures: ['latest-value'],
    prefetched: ['metrics.workload', 'audit.annotations'],
  },
];

/** The tRPC procedures of every query GET the page sends (batched calls are split). */
function recordQueries(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() !== 'GET' || !url.pathname.startsWith('/api/trpc/')) return;
    asked.push(...decodeURIComponent(url.pathname.slice('/api/trpc/'.length)).split(','));
  });
  return asked;
}

for (const route of routes) {
  test(`${route.name}: the server's HTML carries the figures, without JavaScript`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(route.path);
      for (const panel of route.panels) await expect(page.getByTestId(panel)).toHaveAttribute('data-state', 'ok');
      // Numbers and table rows; the charts take their width from the browser, so they draw there.
      for (const figure of route.figures) await expect(page.getByTestId(figure).first()).toHaveText(/\d/);
    } finally {
      await context.close();
    }
  });

  test(`${route.name}: the browser asks none of the prefetched queries again after hydration`, async ({ page }) => {
    const asked = recordQueries(page);
    const clockStarted = page.waitForRequest((request) => request.url().includes('/api/trpc/system.clock'));
    await page.goto(route.path);
    for (const panel of route.panels) await expect(page.getByTestId(panel)).toHaveAttribute('data-state', 'ok');
    // The live clock subscribes from an effect of the same commit as the queries' mount fetches;
    // a moment after it, any query the cache lacked has been sent. The shell's own queries (cluster
    // list, user status; prefetched by the layout) are left out: on a page slower than their stale
    // time, TanStack Query rightly asks for them again.
    await clockStarted;
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1_000)));
    expect(asked.filter((procedure) => route.prefetched.includes(procedure))).toEqual([]);
  });
}
