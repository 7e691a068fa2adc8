import type { Locator, Page } from '@playwright/test';

/** The Pipelines page (runs) and a run's DAG view. */
export class PipelinesPage {
  readonly runs: Locator;
  readonly dag: Locator;

  constructor(readonly page: Page) {
    this.runs = page.getByTestId('runs-table');
    this.dag = page.getByTestId('dag');
  }

  async gotoRuns(cluster: string): Promise<void> {
    await this.page.goto(`/pipelines?cluster=${encodeURIComponent(cluster)}`);
    await this.runs.waitFor();
  }

  async gotoRun(cluster: string, namespace: string, name: string): Promise<void> {
    await this.page.goto(`/pipelines/${cluster}/${namespace}/${name}`);
    await this.dag.waitFor();
  }

  runRow(name: string): Locator {
    return this.runs.locator(`tr[data-name="${name}"]`);
  }

  step(name: string): Locator {
    return this.dag.locator(`[data-step="${name}"]`);
  }

  stepReason(name: string): Locator {
    return this.step(name).getByTestId('step-reason');
  }
}
