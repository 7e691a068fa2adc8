import { navItems } from '@/lib/navigation';
import { expect, test } from './fixtures/test';
import { ShellPage } from './pages/shell-page';

test.describe('app shell', () => {
  for (const item of navItems) {
    test(`renders ${item.label} with the shell around it`, async ({ page }) => {
      const shell = new ShellPage(page);
      await shell.goto(item.href);
      await expect(shell.heading).toHaveText(item.label);
      await expect(shell.nav.getByRole('link', { name: item.label, exact: true })).toHaveAttribute(
        'aria-current',
        'page',
      );
      await expect(shell.timeRangeButton).toBeVisible();
      await expect(page.getByRole('combobox', { name: 'Cluster' })).toBeVisible();
    });
  }

  test('a quick time range lives in the URL, survives a reload and follows navigation', async ({ page }) => {
    const shell = new ShellPage(page);
    await shell.goto('/overview');
    await expect(shell.timeRangeButton).toHaveText('Last 6 hours');
    await shell.pickQuickRange('Last 7 days');
    await expect(page).toHaveURL(/from=now-7d/);
    await page.reload();
    await expect(shell.timeRangeButton).toHaveText('Last 7 days');
    await shell.nav.getByRole('link', { name: 'GPUs' }).click();
    await expect(page).toHaveURL(/\/gpus\?.*from=now-7d/);
    await expect(shell.timeRangeButton).toHaveText('Last 7 days');
  });

  test('an absolute range and the refresh interval survive a reload; a reversed range is refused', async ({ page }) => {
    const shell = new ShellPage(page);
    await shell.goto('/serving');
    await shell.applyAbsoluteRange('2026-11-02T06:00:00Z', '2026-11-01T00:00:00Z');
    await expect(page.getByRole('dialog', { name: 'Time range' }).getByRole('alert')).toHaveText(/after its start/);
    await page.getByRole('dialog', { name: 'Time range' }).getByLabel('To').fill('2026-11-03T00:00:00Z');
    await page.getByRole('dialog', { name: 'Time range' }).getByRole('button', { name: 'Apply time range' }).click();
    await shell.refreshSelect.selectOption('1m');
    await expect(page).toHaveURL(/refresh=1m/);
    await page.reload();
    await expect(shell.timeRangeButton).toHaveText('2026-11-02 06:00 to 2026-11-03 00:00 UTC');
    await expect(shell.refreshSelect).toHaveValue('1m');
  });

  test('serves /favicon.ico: browsers ask for it whatever icon the page links (a 404 is a console error)', async ({
    request,
  }) => {
    const response = await request.get('/favicon.ico');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/image\/(x-icon|vnd.microsoft.icon)/);
    expect((await response.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  });

  test('the theme toggles and the choice survives a reload', async ({ page }) => {
    const shell = new ShellPage(page);
    await page.emulateMedia({ colorScheme: 'light' });
    await shell.goto('/overview');
    const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const lightBackground = await background();
    await shell.themeToggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await background()).not.toBe(lightBackground);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await shell.themeToggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    expect(await background()).toBe(lightBackground);
  });

  test('the live connection (tRPC over SSE) shows the server clock ticking', async ({ page }) => {
    const shell = new ShellPage(page);
    await shell.goto('/overview');
    await expect(shell.liveStatus).toHaveAttribute('data-state', 'live');
    const first = await shell.liveStatus.textContent();
    await expect(shell.liveStatus).not.toHaveText(first ?? '', { timeout: 5000 });
  });

  test('the overview shows the database check and writes a screenshot', async ({ page }) => {
    const shell = new ShellPage(page);
    await shell.goto('/overview');
    const health = page.getByTestId('health-table');
    await expect(health.getByRole('row', { name: /database/ })).toContainText('ok');
    await page.screenshot({ path: 'test-results/overview.png', fullPage: true });
  });

  test('a page whose feature is not built yet says so and shows no figures', async ({ page }) => {
    const shell = new ShellPage(page);
    await shell.goto('/energy');
    await expect(page.getByTestId('not-available').first()).toContainText('not available yet');
  });

  test('an unknown page answers 404, says so and links back', async ({ page, consoleErrors }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByText('Page not found')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Go to the overview' })).toBeVisible();
    // Chromium logs the 404 of the document itself; that one is the point of this test.
    const expected = consoleErrors.filter((e) => e.includes('status of 404') && e.includes('/no-such-page'));
    expect(expected).toHaveLength(1);
    consoleErrors.splice(consoleErrors.indexOf(expected[0]!), 1);
  });
});
