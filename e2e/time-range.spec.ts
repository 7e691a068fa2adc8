import { expect, test } from './fixtures/test';
import { GpusPage } from './pages/gpus-page';
import { OverviewPage } from './pages/overview-page';
import { PipelinesPage } from './pages/pipelines-page';

test('a range ending before it starts: panels say what is wrong and stop asking; the now tiles still show now', async ({
  page,
  consoleErrors,
}) => {
  const overview = new OverviewPage(page);
  const panelCalls: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/trpc/') && request.url().includes('metrics.panel')) panelCalls.push(request.url());
  });
  await overview.goto('?from=now&to=now-1h&refresh=10s');
  const requests = page.getByTestId('panel-requests');
  await expect(requests).toHaveAttribute('data-state', 'invalid');
  await expect(requests.getByTestId('panel-invalid')).toContainText(
    'range.to: The end of the time range must be after its start.',
  );
  await expect(page.getByText('Prometheus did not answer')).toHaveCount(0);
  await expect(overview.kpiValue('requests')).toHaveText(/req\/s$/);
  await expect(overview.kpiValue('pipelines')).toHaveText(/^\d+$/);
  // A refused question gets the same answer: no panel asks again over a refresh interval and more.
  const before = panelCalls.length;
  await page.waitForTimeout(12_000);
  expect(panelCalls.length).toBe(before);
  // Panel queries go in streamed batches, which answer 200 with the refusal inside; a batch the browser
  // does log as refused (400) must be one of the calls counted above, no more.
  const refused = consoleErrors.filter((e) => e.includes('status of 400') && e.includes('metrics.panel'));
  expect(refused.length).toBeLessThanOrEqual(before);
  for (const error of refused) consoleErrors.splice(consoleErrors.indexOf(error), 1);
});

test('an unparsable start on the GPU page names the field; tiles are not left on "…"', async ({
  page,
  consoleErrors,
}) => {
  const gpus = new GpusPage(page);
  await gpus.goto('?from=last-tuesday&to=now');
  await expect(gpus.panel('power').getByTestId('panel-invalid')).toContainText(
    'range.from: "last-tuesday" is not a time',
  );
  await expect(gpus.kpiValue('power')).toHaveText(/\d (W|kW)$/);
  await expect(page.getByTestId('time-range-button')).toHaveText('Invalid time range');
  // Refused batches (400) are logged by the browser; batches mixed with the now tiles answer 207.
  for (const error of consoleErrors.filter((e) => e.includes('status of 400') && e.includes('range%22')))
    consoleErrors.splice(consoleErrors.indexOf(error), 1);
});

test('the pipelines list follows the range: the last hour lists fewer runs than the last day, all among them', async ({
  page,
}) => {
  const pipelines = new PipelinesPage(page);
  const names = async (from: string): Promise<string[]> => {
    await page.goto(`/pipelines?from=${from}&to=now&refresh=off`);
    await expect(page.getByTestId('runs-summary')).toBeVisible();
    return pipelines.runs.locator('tr[data-name]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')!));
  };
  const day = await names('now-24h');
  const hour = await names('now-1h');
  await expect(page.getByTestId('runs-summary')).toContainText(`${hour.length} run`);
  expect(day.length).toBeGreaterThan(hour.length);
  for (const name of hour) expect(day).toContain(name);
  await page.goto('/pipelines?from=now-1h&to=2020-01-01T00:00:00Z');
  await expect(page.getByRole('alert').filter({ hasText: 'Invalid time range' })).toContainText('range.to');
});
