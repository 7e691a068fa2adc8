// One series at one instant, as the simulation produces it. Label text is rendered once, escaped,
// so that scrape output and the backfill file share it and the hot loop only concatenates strings.

export const exporterNames = [
  'dcgm',
  'kepler',
  'vllm',
  'http',
  'kube-state-metrics',
  'cadvisor',
  'knative',
  'argo',
  'opencost',
] as const;
export type ExporterName = (typeof exporterNames)[number];

export interface Sample {
  exporter: ExporterName;
  /** Family name as text format 0.0.4 types it (histograms: without _bucket/_sum/_count). */
  family: string;
  /** Series name as exposed. */
  name: string;
  labelText: string;
  /** Gauge value, or for counters the rate per second this instant (the simulator integrates it). */
  value: number;
  counter: boolean;
  /** Counters shared by several series (a GPU's energy, whichever pod it serves) name their total here. */
  accumulatorKey?: string;
  /**
   * A gauge that changes only when the cluster's objects do (kube-state-metrics of long-lived pods,
   * nodes, prices): history may write it at a coarser step than the rest, within the 5 min lookback.
   */
  slow?: boolean;
}

const needsEscape = /[\\\n"]/;

export function escapeLabelValue(value: string): string {
  if (!needsEscape.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function labelText(labels: Record<string, string | number>): string {
  let out = '';
  for (const [k, v] of Object.entries(labels)) out += `${out ? ',' : ''}${k}="${escapeLabelValue(String(v))}"`;
  return out;
}

export function seriesKey(sample: Pick<Sample, 'name' | 'labelText'>): string {
  return `${sample.name}{${sample.labelText}}`;
}

/** Which families an exporter publishes (kube-state-metrics' `--metric-denylist` and the like). */
export type MetricFilter = (family: string) => boolean;

/** Collects samples for one exporter. */
export class SampleSink {
  readonly samples: Sample[] = [];

  /** `withSlow` false: slow series are left out (history writes them only every few minutes). */
  constructor(
    private readonly keep: MetricFilter = () => true,
    readonly withSlow = true,
  ) {}

  gauge(exporter: ExporterName, name: string, labels: Record<string, string | number>, value: number): void {
    if (!this.keep(name)) return;
    this.samples.push({ exporter, family: name, name, labelText: labelText(labels), value, counter: false });
  }

  counter(exporter: ExporterName, name: string, labels: Record<string, string | number>, ratePerSecond: number): void {
    if (!this.keep(name)) return;
    this.samples.push({
      exporter,
      family: name,
      name,
      labelText: labelText(labels),
      value: ratePerSecond,
      counter: true,
    });
  }

  /** A gauge whose label text the caller rendered (and keeps for the next instant). */
  gaugeText(exporter: ExporterName, name: string, text: string, value: number, slow = false): void {
    if ((slow && !this.withSlow) || !this.keep(name)) return;
    this.samples.push({
      exporter,
      family: name,
      name,
      labelText: text,
      value,
      counter: false,
      ...(slow ? { slow } : {}),
    });
  }

  /** A counter with its label text and series key already rendered. */
  counterText(exporter: ExporterName, name: string, text: string, ratePerSecond: number, key: string): void {
    if (!this.keep(name)) return;
    this.samples.push({
      exporter,
      family: name,
      name,
      labelText: text,
      value: ratePerSecond,
      counter: true,
      accumulatorKey: key,
    });
  }

  /** A histogram from an arrival rate and the share of arrivals at or below each bound. */
  histogram(
    exporter: ExporterName,
    family: string,
    labels: Record<string, string | number>,
    ratePerSecond: number,
    bounds: readonly number[],
    shareAtOrBelow: (le: number) => number,
    meanValue: number,
  ): void {
    if (!this.keep(family)) return;
    const base = labelText(labels);
    const prefix = base ? `${base},` : '';
    for (const le of bounds) {
      this.samples.push({
        exporter,
        family,
        name: `${family}_bucket`,
        labelText: `${prefix}le="${le === Infinity ? '+Inf' : le}"`,
        value: ratePerSecond * shareAtOrBelow(le),
        counter: true,
      });
    }
    this.samples.push({
      exporter,
      family,
      name: `${family}_sum`,
      labelText: base,
      value: ratePerSecond * meanValue,
      counter: true,
    });
    this.samples.push({
      exporter,
      family,
      name: `${family}_count`,
      labelText: base,
      value: ratePerSecond,
      counter: true,
    });
  }
}
