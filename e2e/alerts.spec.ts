import { setScenario } from './fixtures/demo-runtime';
import { expect, test } from './fixtures/test';
import { ShellPage } from './pages/shell-page';

test.describe('alerts', () => {
  test.afterAll(async () => {
    await setScenario('normal');
  });

  test('a traffic spike fires an alert in Prometheus that Alertmanager delivers to Burnrate', async ({ page }) => {
    test.setTimeout(360_000);
    await setScenario('spike');
    const shell = new ShellPage(page);
    await shell.goto('/alerts?refresh=10s');
    const history = page.getByTestId('alert-history');
    // Other alerts of the demo may fire first (a pipeline step failing in eu-west-batch): wait for the spike's own.
    const spikeAlert = history
      .getByRole('row')
      .filter({ hasText: 'LatencyP95OverSLO' })
      .filter({ hasText: 'us-east-prod' });
    await expect(spikeAlert.filter({ hasText: 'firing' }).first()).toBeVisible({ timeout: 330_000 });
  });
});
