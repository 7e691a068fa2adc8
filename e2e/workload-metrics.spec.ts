import { execFileSync } from 'node:child_process';
import { demoRuntime } from './fixtures/demo-runtime';
import { expect, test } from './fixtures/test';
import { SignInPage } from './pages/sign-in-page';

// A short refresh so the marker of an action taken in this tab shows within one interval.
const chatPath = '/workloads/us-east-prod/llm-serving/Deployment/chat-llm?from=now-1h&to=now&refresh=10s';

function kubectlReplicas(): number {
  const out = execFileSync('kubectl', [
    '--kubeconfig',
    demoRuntime().kubeconfigPath,
    '--context',
    'us-east-prod',
    '-n',
    'llm-serving',
    'get',
    'deployment',
    'chat-llm',
    '-o',
    'jsonpath={.spec.replicas}',
  ]);
  return Number(out.toString());
}

test('chat-llm shows its metrics as numbers, and a scale through the Actions toolbar marks its charts', async ({
  page,
}, testInfo) => {
  await new SignInPage(page).signInAsDemo('operator', chatPath);
  const metrics = page.getByTestId('workload-metrics');
  for (const id of ['requests', 'latency', 'errors', 'queue']) {
    await expect(metrics.getByTestId(`workload-panel-${id}`)).toHaveAttribute('data-state', 'ok', { timeout: 30_000 });
  }
  await expect(metrics.getByTestId('workload-panel-requests').getByTestId('latest-value')).toHaveText(/Requests\/s \d/);
  await expect(metrics.getByTestId('workload-panel-latency').getByTestId('latest-value')).toHaveText(/p50 \d/);
  await expect(metrics.getByTestId('workload-panel-queue').getByTestId('latest-value')).toHaveText(/Waiting \d/);

  const target = kubectlReplicas() === 3 ? 4 : 3;
  const actions = page.getByRole('region', { name: 'Actions' });
  await actions.getByLabel('Replicas', { exact: true }).fill(String(target));
  await actions.getByRole('button', { name: 'Scale' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expect.poll(kubectlReplicas).toBe(target);

  const marker = metrics
    .getByTestId('workload-panel-requests')
    .getByTestId('chart-annotation')
    .filter({ has: page.locator('title', { hasText: `replicas=${target}` }) });
  await expect(marker.last()).toBeAttached({ timeout: 30_000 });
  await expect(marker.last().locator('title')).toHaveText(
    new RegExp(`demo-operator \\(operator\\): scale replicas=${target}\\s+succeeded \\(200\\)`),
  );
  // Every time-series chart of the workload carries the same marker.
  const charted = metrics.locator('[data-state="ok"]');
  await expect(
    charted.getByTestId('chart-annotation').filter({ has: page.locator('title', { hasText: `replicas=${target}` }) }),
  ).toHaveCount(await charted.count(), { timeout: 15_000 });
  await metrics.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('workload-metrics.png'), fullPage: true });
});
