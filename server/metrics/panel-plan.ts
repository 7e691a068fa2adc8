import 'server-only';
import type { Unit } from '@/lib/format';
import type { ExporterDiscovery } from '@/server/prometheus/discovery';
import type { QueryWindow } from '@/server/prometheus/panel-query';
import type { PromQl } from '@/server/prometheus/query-builder';
import type { MissingSource } from '@/server/prometheus/source-pickers';
import type { GpuScope } from './gpu-queries';
import type { PanelSource } from './types';

export interface PanelContext {
  discovery: ExporterDiscovery;
  scope: GpuScope;
  /** True when the view spans every cluster: overview panels then add a per-cluster query. */
  allClusters: boolean;
}

export interface PlannedQuery {
  id: string;
  label: string;
  build: (window: QueryWindow) => PromQl;
  maxSeries?: number;
  /** Series name from its labels; default: the label, plus the cluster when grouped by it. */
  name?: (labels: Record<string, string>) => string;
}

export interface PanelPlan {
  kind: 'plan';
  unit: Unit;
  source: PanelSource;
  queries: PlannedQuery[];
  /** An empty answer means the exporter is absent (for metrics discovery does not catalogue). */
  emptyMeansMissing?: Omit<MissingSource, 'kind'>;
}

export type PanelBuild = PanelPlan | MissingSource;

export interface PanelDefinition {
  id: string;
  build: (ctx: PanelContext) => PanelBuild;
}
