import type { Locator, Page } from '@playwright/test';

/** One workload's page: live state, pods, rollouts, events, and the actions slot. */
export class WorkloadPage {
  readonly desired: Locator;
  readonly ready: Locator;
  readonly pods: Locator;
  readonly actionsSlot: Locator;
  readonly events: Locator;

  constructor(readonly page: Page) {
    const state = page.getByTestId('workload-state');
    this.desired = state.getByTestId('desired');
    this.ready = state.getByTestId('ready');
    this.pods = page.getByTestId('pods-table');
    this.actionsSlot = page.locator('[data-slot="workload-actions"]');
    this.events = page.getByTestId('events');
  }

  async goto(w: { cluster: string; namespace: string; kind: string; name: string }): Promise<void> {
    await this.page.goto(`/workloads/${w.cluster}/${w.namespace}/${w.kind}/${w.name}`);
    await this.desired.waitFor();
  }
}
