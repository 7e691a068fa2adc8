// What the metrics router sends to the browser. Types only (imported with `import type` by the UI).
import type { Unit } from '@/lib/format';

export interface PanelSource {
  /** Exact metric names the figure is computed from. */
  metrics: string[];
  description: string;
  /** A few words of attribution for KPI tiles, e.g. "OpenCost list price". */
  label?: string;
}

export interface PanelQueryInfo {
  id: string;
  label: string;
  promql: string;
  /** Prometheus's own graph page for this query and range. */
  graphUrl: string;
}

export interface StaleInfo {
  /** First failed refresh (epoch ms). */
  sinceMs: number;
  /** When the data shown was fetched (epoch ms). */
  fetchedAtMs: number;
  error: string;
}

/** One series, columnar: `t` epoch ms, `v` value or null for a gap. */
export interface SeriesData {
  key: string;
  /** The query it came from (a panel may plot several). */
  queryId: string;
  name: string;
  labels: Record<string, string>;
  t: number[];
  v: (number | null)[];
}

interface PanelCommon {
  panel: string;
  unit: Unit;
  source: PanelSource;
  queries: PanelQueryInfo[];
  startMs: number;
  endMs: number;
  stepSeconds: number;
}

export interface RangePanelData extends PanelCommon {
  status: 'ok';
  series: SeriesData[];
  omittedSeriesCount: number;
  downsampled: boolean;
  stale: StaleInfo | null;
}

export interface MissingExporter {
  status: 'missing';
  panel: string;
  /** Any one of these metrics would do. */
  needed: string[];
  description: string;
  howTo: string;
}

/** Prometheus failed and no earlier result exists to stand in. */
export interface PanelUnavailable {
  status: 'unavailable';
  panel: string;
  error: string;
  sinceMs: number;
  queries: PanelQueryInfo[];
}

export type RangePanelResponse = RangePanelData | MissingExporter | PanelUnavailable;

export interface GpuDeviceRow {
  cluster: string;
  node: string;
  gpu: string;
  uuid: string;
  model: string;
  /** 0–1, now. */
  utilRatio: number | null;
  /** 0–1, mean over the selected range. */
  avgUtilRatio: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureCelsius: number | null;
  powerWatts: number | null;
  /** `namespace/pod` of the pods mapped to the device now; more than one = shared (time-sliced). */
  pods: string[];
}

export interface GpuWorkloadRow {
  cluster: string;
  namespace: string;
  workload: string;
  /** Mean GPUs held over the range (a time-slice counts as 1 ÷ tenants of its device). */
  avgGpusHeld: number;
  /** busy ÷ held over the range, 0–1. */
  avgUtilRatio: number;
  gpuHours: number;
  /** GPU-hours held but not busy: the waste ranking's key. */
  idleGpuHours: number;
  shared: boolean;
}

export interface TablePanelData<Row> {
  status: 'ok';
  panel: string;
  rows: Row[];
  omittedRowCount: number;
  source: PanelSource;
  queries: PanelQueryInfo[];
  startMs: number;
  endMs: number;
  stale: StaleInfo | null;
}

export type TablePanelResponse<Row> = TablePanelData<Row> | MissingExporter | PanelUnavailable;

export interface FiringAlert {
  name: string;
  cluster: string | null;
  severity: string | null;
  summary: string | null;
  activeAtMs: number | null;
}

export interface AlertsData {
  status: 'ok';
  alerts: FiringAlert[];
  stale: StaleInfo | null;
  graphUrl: string;
}

export type AlertsResponse = AlertsData | PanelUnavailable;

export interface DataSourceFamily {
  id: string;
  label: string;
  present: boolean;
  metrics: string[];
  labels: Record<string, string | null>;
  variant: string | null;
  howTo: string;
}

export interface FigureSource {
  figure: string;
  status: 'available' | 'missing';
  metric: string | null;
  description: string;
}

export interface ClusterDataSources {
  cluster: string;
  prometheusUrl: string;
  discoveredAtMs: number;
  families: DataSourceFamily[];
  figures: FigureSource[];
  error: string | null;
}

/** One figure of a panel at one instant. */
export interface NowValue {
  queryId: string;
  name: string;
  labels: Record<string, string>;
  /** null when Prometheus gave NaN or ±Inf. */
  value: number | null;
}

/** A panel's figures now (instant queries at the time asked), whatever range the page shows. */
export interface NowPanelData {
  status: 'ok';
  panel: string;
  unit: Unit;
  source: PanelSource;
  queries: PanelQueryInfo[];
  /** The evaluation time (epoch ms), floored to the scrape interval. */
  timeMs: number;
  values: NowValue[];
  stale: StaleInfo | null;
}

export type NowPanelResponse = NowPanelData | MissingExporter | PanelUnavailable;
