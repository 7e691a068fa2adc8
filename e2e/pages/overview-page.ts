import type { Locator, Page } from '@playwright/test';

/** The Overview: KPI tiles with sparklines, the per-cluster table, alerts and charts. */
export class OverviewPage {
  readonly kpis: Locator;
  readonly clusterRows: Locator;
  readonly alerts: Locator;
  readonly staleBadges: Locator;

  constructor(readonly page: Page) {
    this.kpis = page.getByTestId('overview-kpis');
    this.clusterRows = page.getByTestId('cluster-row');
    this.alerts = page.getByTestId('panel-alerts');
    this.staleBadges = page.getByTestId('stale-badge');
  }

  async goto(query = '?from=now-6h&to=now'): Promise<void> {
    await this.page.goto(`/overview${query}`);
    await this.page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  }

  kpi(id: 'gpu-activity' | 'requests' | 'latency' | 'cost' | 'energy' | 'alerts' | 'pipelines'): Locator {
    return this.page.getByTestId(`kpi-${id}`);
  }

  kpiValue(id: Parameters<OverviewPage['kpi']>[0]): Locator {
    return this.page.getByTestId(`kpi-${id}-value`);
  }
}
