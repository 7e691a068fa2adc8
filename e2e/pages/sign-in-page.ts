import type { Page } from '@playwright/test';

export class SignInPage {
  constructor(private readonly page: Page) {}

  /** The demo's one-click switch; lands back on `returnTo`. */
  async signInAsDemo(role: 'viewer' | 'operator' | 'admin', returnTo = '/'): Promise<void> {
    await this.page.goto(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    await this.page.getByRole('button', { name: `Sign in as demo-${role}` }).click();
    await this.page.waitForURL((url) => url.pathname === returnTo.split('?')[0]);
  }
}
