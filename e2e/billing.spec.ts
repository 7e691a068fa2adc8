// Billing against the running demo: uploads through the page as the demo admin (imported, already
// imported, rejected), explorer totals checked against sums computed here from the raw file, the
// watched folder's exports in the imports list, and the CSV export of the view.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { writeFocusCsv } from '../server/billing/focus-fixture';
import { demoRuntime } from './fixtures/demo-runtime';
import { expect, test } from './fixtures/test';
import { BillingPage } from './pages/billing-page';
import { SignInPage } from './pages/sign-in-page';

const SAMPLE = '/work/shared/data/focus/focus-1.0-official-sample.csv';
const SEPTEMBER_2024 = 'from=2024-09-01&to=2024-10-01';

/** BilledCost per provider and in all, summed exactly from the raw file. */
function sampleSums(): { byProvider: Map<string, Decimal>; total: Decimal; rows: number } {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(SAMPLE, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  const byProvider = new Map<string, Decimal>();
  let total = new Decimal(0);
  for (const row of parsed.data) {
    const billed = new Decimal(row.BilledCost ?? '0');
    const provider = row.ProviderName ?? '';
    byProvider.set(provider, (byProvider.get(provider) ?? new Decimal(0)).plus(billed));
    total = total.plus(billed);
  }
  return { byProvider, total, rows: parsed.data.length };
}

test.describe.configure({ mode: 'serial' });

test.describe('billing', () => {
  test.beforeEach(async ({ page }) => {
    await new SignInPage(page).signInAsDemo('admin', '/billing');
  });

  test('uploads the official sample, then again ("already imported"), then a file missing a column (error table)', async ({
    page,
    consoleErrors,
  }) => {
    const billing = new BillingPage(page);
    const sums = sampleSums();
    await billing.upload(SAMPLE);
    await expect(billing.outcome()).toHaveAttribute('data-outcome', 'imported', { timeout: 60_000 });
    await expect(billing.outcome()).toContainText(`imported ${sums.rows.toLocaleString('en-US')} rows`);
    await expect(billing.pastImport('focus-1.0-official-sample.csv')).toContainText('1,000');

    await billing.upload(SAMPLE);
    await expect(billing.outcome()).toHaveAttribute('data-outcome', 'already-imported', { timeout: 60_000 });
    await expect(billing.outcome()).toContainText('already imported');

    const withoutBilledCost = readFileSync(SAMPLE, 'utf8').replace('"BilledCost"', '"Billed"');
    await billing.upload({
      name: 'missing-billed-cost.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(withoutBilledCost),
    });
    await expect(billing.outcome()).toHaveAttribute('data-outcome', 'rejected', { timeout: 60_000 });
    await expect(billing.errorRows().filter({ hasText: 'BilledCost' })).toHaveCount(1);
    await expect(billing.pastImport('missing-billed-cost.csv')).toHaveCount(0);
    // The browser logs the 422 this test provokes on purpose; any other console error still fails.
    const expected = consoleErrors.filter((line) => /status of 422/.test(line));
    expect(expected.length).toBeLessThanOrEqual(1);
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((line) => !/status of 422/.test(line)));
  });

  test('uploads a file over 10 MB in full, and refuses a cross-site upload', async ({ page }) => {
    // Next buffers a body for its proxy and cuts it at 10 MB: this route runs outside the proxy.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-e2e-upload-'));
    try {
      const file = path.join(dir, 'focus-big.csv');
      await writeFocusCsv(file, { rows: 30_000, version: '1.2', startDay: '2035-01-01', days: 30 });
      expect(statSync(file).size).toBeGreaterThan(12 * 1024 * 1024);
      const billing = new BillingPage(page);
      await billing.upload(file);
      await expect(billing.outcome()).toHaveAttribute('data-outcome', 'imported', { timeout: 120_000 });
      await expect(billing.outcome()).toContainText('imported 30,000 rows');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const crossSite = await page.request.post('/api/billing/imports', {
      headers: { origin: 'https://evil.example' },
      multipart: { file: { name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from('a\n') } },
    });
    expect(crossSite.status()).toBe(403);
    expect(await crossSite.text()).toContain('Cross-site request refused');
    expect(crossSite.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(crossSite.headers()['x-request-id']).toBeTruthy();
  });

  test('shows totals by provider equal to the sums of the raw file, and exports the view as CSV', async ({ page }) => {
    const billing = new BillingPage(page);
    const sums = sampleSums();
    await billing.goto(`${SEPTEMBER_2024}&groupBy=provider`);
    await expect(billing.billedTotal()).toHaveAttribute('title', /\d/);
    expect(new Decimal((await billing.billedTotal().getAttribute('title')) ?? 'NaN').equals(sums.total)).toBe(true);
    for (const [provider, sum] of sums.byProvider) {
      const cell = billing.groupRow(provider).getByTestId('group-billed');
      await expect(cell).toHaveAttribute('title', /\d/);
      expect(new Decimal((await cell.getAttribute('title')) ?? 'NaN').equals(sum), `${provider} billed`).toBe(true);
    }
    await expect(billing.lineRows()).toHaveCount(50);

    const download = await billing.exportView();
    const csv = readFileSync(await download.path(), 'utf8');
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.provider).sort()).toEqual([...sums.byProvider.keys()].sort());
    for (const row of rows)
      expect(
        new Decimal(row.BilledCost ?? 'NaN').equals(sums.byProvider.get(row.provider ?? '') ?? -1),
        `${row.provider} in CSV`,
      ).toBe(true);
    await page.screenshot({ path: test.info().outputPath('billing-page.png'), fullPage: true });
  });

  test('lists the demo exports from the watched folder among past imports', async ({ page }) => {
    const billing = new BillingPage(page);
    const files = readdirSync(demoRuntime().billingDir).filter((name) => name.endsWith('.csv'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) await expect(billing.pastImport(file)).toContainText('watch-folder', { timeout: 60_000 });
  });

  test('a viewer sees the explorer but the upload is disabled, with the reason', async ({ page }) => {
    await new SignInPage(page).signInAsDemo('viewer', '/billing');
    const choose = page.getByRole('button', { name: 'Choose a file…' });
    await expect(choose).toBeDisabled();
    await expect(page.getByTestId('billing-dropzone')).toHaveAttribute(
      'title',
      'Uploading bills needs the admin role; you are viewer.',
    );
    await expect(page.getByRole('table', { name: 'Past imports' })).toBeVisible();
  });
});
