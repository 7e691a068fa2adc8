import type { Locator, Page } from '@playwright/test';

/** The app shell: side navigation, cluster and time-range pickers, theme and live status. */
export class ShellPage {
  readonly heading: Locator;
  readonly nav: Locator;
  readonly timeRangeButton: Locator;
  readonly themeToggle: Locator;
  readonly liveStatus: Locator;
  readonly refreshSelect: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.timeRangeButton = page.getByTestId('time-range-button');
    this.themeToggle = page.getByTestId('theme-toggle');
    this.liveStatus = page.getByTestId('live-status');
    this.refreshSelect = page.getByTestId('refresh-select');
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(path);
    await this.heading.waitFor();
  }

  async pickQuickRange(label: string): Promise<void> {
    await this.timeRangeButton.click();
    await this.page.getByRole('dialog', { name: 'Time range' }).getByRole('button', { name: label }).click();
  }

  async applyAbsoluteRange(from: string, to: string): Promise<void> {
    await this.timeRangeButton.click();
    const dialog = this.page.getByRole('dialog', { name: 'Time range' });
    await dialog.getByLabel('From').fill(from);
    await dialog.getByLabel('To').fill(to);
    await dialog.getByRole('button', { name: 'Apply time range' }).click();
  }
}
