import type { ClusterState } from './cluster-state.ts';

// The cluster as the Kubernetes API had it, recorded while history is still being written: the
// demo's API is up minutes before live scraping starts, and history for those minutes must name
// the pods the API showed then, not the ones the schedule would have had.

export class ApiStateRecorder {
  private readonly states: { atMs: number; state: ClusterState }[] = [];

  constructor(
    private readonly read: () => ClusterState,
    readonly sinceMs: number,
  ) {}

  record(atMs: number): void {
    const last = this.states[this.states.length - 1];
    if (last && atMs <= last.atMs) return;
    this.states.push({ atMs, state: this.read() });
  }

  /** The API's state at `tMs`: the last recording at or before it (the first one before any). */
  stateAt(tMs: number): ClusterState {
    let found = this.states[0];
    for (const s of this.states) {
      if (s.atMs > tMs) break;
      found = s;
    }
    if (!found) {
      this.record(tMs);
      return this.states[0]!.state;
    }
    return found.state;
  }
}
