import { expect, test } from './fixtures/test';
import { AuditPage } from './pages/audit-page';
import { SignInPage } from './pages/sign-in-page';

test('an admin runs ad-hoc PromQL over the page range, sees it drawn, and the run is audited', async ({
  page,
  consoleErrors,
}) => {
  await new SignInPage(page).signInAsDemo('admin', '/settings/explore?from=now-1h&to=now');
  const query = page.getByTestId('explore-query');
  await query.fill('sum by (cluster) (DCGM_FI_DEV_POWER_USAGE)');
  await query.press('Control+Enter');
  const result = page.getByTestId('explore-result');
  await expect(result).toHaveAttribute('data-state', 'ok');
  await expect(result).toContainText('2 series');
  await expect(result.locator('svg .recharts-line').first()).toBeVisible();
  await expect(result.getByText('{cluster="us-east-prod"}').first()).toBeVisible();

  // A query Prometheus cannot parse: its own message, and an HTTP 400 that Chromium logs.
  await query.fill('sum(rate(DCGM_FI_DEV_POWER_USAGE[5m]');
  await page.getByRole('button', { name: 'Run query' }).click();
  await expect(page.getByTestId('explore-error')).toContainText('parse error');
  const refusal = consoleErrors.filter((e) => e.includes('status of 400') && e.includes('metrics.explore'));
  expect(refusal).toHaveLength(1);
  consoleErrors.splice(consoleErrors.indexOf(refusal[0]!), 1);

  const audit = new AuditPage(page);
  await audit.goto();
  await expect(page.getByText('explore-promql').first()).toBeVisible();
});

test('a viewer is told the explore box is for admins', async ({ page }) => {
  await new SignInPage(page).signInAsDemo('viewer', '/settings/explore');
  await expect(page.getByText('Admins only')).toBeVisible();
  await expect(page.getByTestId('explore-query')).toHaveCount(0);
});
