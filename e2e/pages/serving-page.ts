import type { Locator, Page } from '@playwright/test';

/** The Serving page: Deployments, Knative Services and their pods, live. */
export class ServingPage {
  readonly deployments: Locator;
  readonly pods: Locator;

  constructor(readonly page: Page) {
    this.deployments = page.getByTestId('deployments-table');
    this.pods = page.getByTestId('pods-table');
  }

  async goto(cluster: string): Promise<void> {
    await this.page.goto(`/serving?cluster=${encodeURIComponent(cluster)}`);
    await this.deployments.waitFor();
  }

  deploymentRow(name: string): Locator {
    return this.deployments.locator(`tr[data-name="${name}"]`);
  }

  desiredReplicas(name: string): Locator {
    return this.deploymentRow(name).getByTestId('desired');
  }

  /** Ready pods of a workload, by the Workload column's link text. */
  readyPodsOf(workload: string): Locator {
    return this.pods
      .locator('tr[data-ready="true"]')
      .filter({ has: this.page.getByRole('link', { name: workload, exact: true }) });
  }

  clusterConnection(cluster: string): Locator {
    return this.page.locator(`[data-testid="cluster-connection"][data-cluster="${cluster}"]`);
  }
}
