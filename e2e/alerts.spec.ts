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
    await expect(history.getByRole('row').filter({ hasText: 'firing' }).first()).toBeVisible({ timeout: 330_000 });
    await expect(history).toContainText('us-east-prod');
  });
});
