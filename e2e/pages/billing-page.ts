import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class BillingPage {
  constructor(private readonly page: Page) {}

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/billing${query ? `?${query}` : ''}`);
  }

  /** Through the file picker (the same code path as a drop). */
  async upload(file: { name: string; mimeType: string; buffer: Buffer } | string): Promise<void> {
    // Enabled once the page is hydrated and knows the role: a file set earlier would go unnoticed.
    await expect(this.page.getByRole('button', { name: 'Choose a file…' })).toBeEnabled();
    await this.page.getByLabel('FOCUS file to import').setInputFiles(file);
  }

  outcome(): Locator {
    return this.page.getByTestId('import-outcome');
  }

  errorRows(): Locator {
    return this.page.getByRole('table', { name: 'Import errors' }).locator('tbody tr');
  }

  pastImport(fileName: string): Locator {
    return this.page.getByRole('table', { name: 'Past imports' }).locator(`tbody tr[data-file="${fileName}"]`);
  }

  groupRow(group: string, currency = 'USD'): Locator {
    return this.page
      .getByRole('table', { name: 'Costs by group' })
      .locator(`tbody tr[data-group="${group}"]`)
      .filter({ hasText: currency });
  }

  billedTotal(currency = 'USD'): Locator {
    return this.page.getByTestId(`total-billed-${currency}`);
  }

  lineRows(): Locator {
    return this.page.getByRole('table', { name: 'Billing lines table' }).locator('tbody tr');
  }

  async exportView(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('export-view').click();
    return download;
  }
}
