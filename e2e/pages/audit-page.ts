import type { Locator, Page } from '@playwright/test';

export class AuditPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/audit');
  }

  rows(): Locator {
    return this.page.getByRole('table', { name: 'Audit log' }).locator('tbody tr');
  }

  async search(text: string): Promise<void> {
    await this.page.getByLabel('Search').fill(text);
  }
}
