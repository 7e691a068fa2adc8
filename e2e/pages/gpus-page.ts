import type { Locator, Page } from '@playwright/test';

/** The GPU page: fleet KPI tiles, chart panels, heatmap, waste ranking and the device table. */
export class GpusPage {
  readonly kpis: Locator;
  readonly heatmap: Locator;
  readonly deviceRows: Locator;
  readonly workloadRows: Locator;
  readonly staleBadges: Locator;
  readonly idleCost: Locator;

  constructor(readonly page: Page) {
    this.kpis = page.getByTestId('gpu-kpis');
    this.heatmap = page.getByTestId('chart-heatmap');
    this.deviceRows = page.getByTestId('device-row');
    this.workloadRows = page.getByTestId('workload-table').locator('tbody tr');
    this.staleBadges = page.getByTestId('stale-badge');
    this.idleCost = page.getByTestId('kpi-idle-cost');
  }

  async goto(query = '?from=now-6h&to=now'): Promise<void> {
    await this.page.goto(`/gpus${query}`);
    await this.page.getByRole('heading', { level: 1, name: 'GPUs' }).waitFor();
  }

  kpiValue(id: 'allocated' | 'activity' | 'memory' | 'power' | 'idle'): Locator {
    return this.page.getByTestId(`kpi-${id}-value`);
  }

  panel(id: string): Locator {
    return this.page.getByTestId(`panel-${id}`);
  }

  async openQuery(panelId: string): Promise<Locator> {
    const panel = this.panel(panelId);
    await panel.getByText('Show query').click();
    return panel.getByTestId('promql').first();
  }
}
