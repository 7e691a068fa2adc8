'use client';

import type { ReactNode } from 'react';
import { formatTick, formatValue, type Unit } from '@/lib/format';
import type { SeriesData } from '@/server/metrics/types';

/** 0–1 → a colour from the theme's three heat stops (colour-mix keeps it theme-aware). */
export function heatColor(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return 'var(--heat-none)';
  const r = Math.max(0, Math.min(1, ratio));
  if (r < 0.5) return `color-mix(in srgb, var(--heat-50) ${Math.round(r * 200)}%, var(--heat-0))`;
  return `color-mix(in srgb, var(--heat-100) ${Math.round((r - 0.5) * 200)}%, var(--heat-50))`;
}

/** One row per series (GPU), one cell per step: where activity sits over time at a glance. */
export function HeatmapChart({
  series,
  unit,
  startMs,
  endMs,
}: {
  series: readonly SeriesData[];
  unit: Unit;
  startMs: number;
  endMs: number;
}): ReactNode {
  const times = [...new Set(series.flatMap((s) => s.t))].sort((a, b) => a - b);
  const rangeMs = endMs - startMs;
  const timeLabel = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return (
    <div data-testid="chart-heatmap" data-row-count={series.length}>
      <div className="heatmap" role="img" aria-label={`Heatmap of ${series.length} series over time`}>
        {series.map((s) => {
          const byTime = new Map(s.t.map((t, i) => [t, s.v[i] ?? null]));
          return [
            <div key={`${s.key}-label`} className="heatmap-label" title={s.name}>
              {s.name}
            </div>,
            <div key={`${s.key}-row`} className="heatmap-row">
              {times.map((t) => {
                const value = byTime.get(t) ?? null;
                return (
                  <span
                    key={t}
                    className="heatmap-cell"
                    style={{ background: heatColor(value) }}
                    title={`${s.name} · ${timeLabel(t)} UTC · ${formatValue(value, unit)}`}
                  />
                );
              })}
            </div>,
          ];
        })}
        <div className="heatmap-axis">
          <span>{formatTick(startMs, rangeMs)}</span>
          <span>{formatTick(startMs + rangeMs / 2, rangeMs)}</span>
          <span>{formatTick(endMs, rangeMs)}</span>
        </div>
      </div>
      <div className="heatmap-scale">
        <span>0 %</span>
        <span className="heatmap-gradient" aria-hidden="true" />
        <span>100 %</span>
        <span className="muted">· grey = no data</span>
      </div>
    </div>
  );
}
