import { expect, test } from './fixtures/test';
import { measureLayout, settle, withinWindow } from './pages/layout-check';
import { PipelinesPage } from './pages/pipelines-page';
import { SignInPage } from './pages/sign-in-page';

// Every route at two laptop widths: nothing cut off, nothing wider than the window. Signed in as
// admin, the widest view (every action button and the admin-only pages). Screenshots of each are
// kept in the test's output folder for a person to look at.
const widths = [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
];

const routes: { name: string; path: string }[] = [
  { name: 'overview', path: '/overview?from=now-6h&to=now' },
  { name: 'overview-14d', path: '/overview?from=now-14d&to=now' },
  { name: 'pipelines', path: '/pipelines?from=now-24h&to=now' },
  { name: 'serving', path: '/serving' },
  { name: 'gpus', path: '/gpus' },
  { name: 'cost', path: '/cost' },
  { name: 'energy', path: '/energy' },
  { name: 'alerts', path: '/alerts' },
  { name: 'reports', path: '/reports' },
  { name: 'billing', path: '/billing' },
  { name: 'audit', path: '/audit' },
  { name: 'settings', path: '/settings' },
  { name: 'data-sources', path: '/settings/data-sources' },
  { name: 'explore', path: '/settings/explore' },
  { name: 'workload', path: '/workloads/us-east-prod/llm-serving/Deployment/chat-llm' },
  { name: 'sign-in', path: '/sign-in' },
];

/** Per route, elements that must be wholly visible: the per-cluster table's columns, every DAG step, waste labels. */
const wholeOnScreen: Record<string, string> = {
  overview: '[data-testid="cluster-table"] th',
  'overview-14d': '[data-testid="cluster-table"] th',
  'pipeline-run': '[data-testid="dag-step"]',
  gpus: '[data-testid="panel-waste"] .recharts-yAxis-tick-labels text',
};

const chat = { cluster: 'us-east-prod', namespace: 'llm-serving', kind: 'Deployment', name: 'chat-llm' };

test('every route fits the window at 1440 and 1280 px: nothing clipped, nothing wider', async ({ page }, testInfo) => {
  test.setTimeout(900_000);
  await new SignInPage(page).signInAsDemo('admin', '/overview');
  // An audit row with its parameters, as any action leaves (a refused one changes nothing).
  const refused = await page.request.post('/api/trpc/actions.execute', {
    headers: { 'content-type': 'application/json', origin: new URL(page.url()).origin },
    data: { json: { workload: chat, action: { verb: 'scale', replicas: 9_999 }, idempotencyKey: crypto.randomUUID() } },
  });
  expect(refused.status()).toBeGreaterThanOrEqual(400);

  // A pipeline run with its DAG: the newest run of the last day.
  const pipelines = new PipelinesPage(page);
  await page.goto('/pipelines?cluster=us-east-prod&from=now-24h&to=now');
  await pipelines.runs.waitFor();
  const runHref = await pipelines.runs.locator('tbody tr th a').first().getAttribute('href');
  expect(runHref).toMatch(/^\/pipelines\/us-east-prod\//);
  const all = [...routes, { name: 'pipeline-run', path: runHref! }];

  const problems: string[] = [];
  for (const size of widths) {
    await page.setViewportSize(size);
    for (const route of all) {
      await page.goto(route.path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      const whole = wholeOnScreen[route.name];
      // On a busy machine a chart can take a while: measure it once it is drawn.
      if (whole) await page.locator(whole).first().waitFor({ timeout: 60_000 });
      await settle(page);
      const report = await measureLayout(page);
      await page.screenshot({ path: testInfo.outputPath(`${route.name}-${size.width}.png`), fullPage: true });
      for (const problem of report.problems) problems.push(`${route.name} at ${size.width} px: ${problem}`);
      // What issue 14 found cut off: shown whole, not behind a scroll a reader may not notice.
      if (whole) {
        const inside = await withinWindow(page, whole);
        if (inside.includes(false))
          problems.push(`${route.name} at ${size.width} px: a ${whole} is cut off or scrolled away`);
      }
    }
  }
  expect(problems).toEqual([]);
});
