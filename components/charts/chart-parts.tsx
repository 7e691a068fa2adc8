'use client';

import { useState, type ReactNode } from 'react';
import { formatTick, formatValue, type Unit } from '@/lib/format';
import type { SeriesData } from '@/server/metrics/types';

export const seriesColors = Array.from({ length: 10 }, (_, i) => `var(--series-${i + 1})`);

export function colorOf(index: number): string {
  return seriesColors[index % seriesColors.length]!;
}

export type ChartRow = { t: number } & Record<string, number | null>;

/** Columnar series → one row per timestamp with `s0`, `s1`… (index keys: names may hold dots recharts reads as paths). */
export function toRows(series: readonly SeriesData[]): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  series.forEach((s, index) => {
    s.t.forEach((t, i) => {
      let row = rows.get(t);
      if (!row) {
        row = { t } as ChartRow;
        rows.set(t, row);
      }
      row[`s${index}`] = s.v[i] ?? null;
    });
  });
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

export function lastValue(series: SeriesData): number | null {
  for (let i = series.v.length - 1; i >= 0; i -= 1) {
    const v = series.v[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** Legend entries toggle their series; the hidden set lives in the chart. */
export function useHiddenSeries(): { hidden: ReadonlySet<string>; toggle: (key: string) => void } {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string): void =>
    setHidden((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return { hidden, toggle };
}

export function Legend({
  series,
  hidden,
  toggle,
  unit,
}: {
  series: readonly SeriesData[];
  hidden: ReadonlySet<string>;
  toggle: (key: string) => void;
  unit: Unit;
}): ReactNode {
  if (series.length < 2) return null;
  return (
    <div className="legend" role="group" aria-label="Series">
      {series.map((s, i) => (
        <button
          key={s.key}
          type="button"
          className="legend-item"
          aria-pressed={!hidden.has(s.key)}
          onClick={() => toggle(s.key)}
          title="Show or hide this series"
        >
          <span className="legend-swatch" style={{ background: colorOf(i) }} aria-hidden="true" />
          <span>{s.name}</span>
          <span className="legend-value">{formatValue(lastValue(s), unit)}</span>
        </button>
      ))}
    </div>
  );
}

interface TooltipPayloadEntry {
  dataKey?: unknown;
  value?: unknown;
  color?: string;
  name?: unknown;
}

/** Hover tooltip: the time and each visible series' value in its unit, largest first. */
export function ChartTooltip({
  active,
  payload,
  label,
  unit,
}: {
  active?: boolean;
  payload?: readonly TooltipPayloadEntry[];
  label?: unknown;
  unit: Unit;
}): ReactNode {
  if (!active || !payload || payload.length === 0 || typeof label !== 'number') return null;
  const rows = payload
    .filter((p) => typeof p.value === 'number')
    .sort((a, b) => (b.value as number) - (a.value as number))
    .slice(0, 12);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{new Date(label).toISOString().slice(0, 19).replace('T', ' ')} UTC</div>
      {rows.map((p) => (
        <div key={String(p.dataKey)} className="chart-tooltip-row">
          <span>
            <span
              className="legend-swatch"
              style={{ background: p.color, display: 'inline-block', marginRight: 6 }}
              aria-hidden="true"
            />
            {String(p.name)}
          </span>
          <span>{formatValue(p.value as number, unit)}</span>
        </div>
      ))}
    </div>
  );
}

export function tickFormatter(rangeMs: number): (ms: number) => string {
  return (ms) => formatTick(ms, rangeMs);
}

export function valueTickFormatter(unit: Unit): (value: number) => string {
  return (value) => formatValue(value, unit);
}

/** Page-wide crosshair: recharts syncs every chart with this id by the x value (time). */
export const pageSyncId = 'burnrate-page';
