'use client';

import type { ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Unit } from '@/lib/format';
import type { SeriesData } from '@/server/metrics/types';
import { ChartTooltip, colorOf, Legend, pageSyncId, tickFormatter, toRows, useHiddenSeries, valueTickFormatter } from './chart-parts';

export interface TimeSeriesChartProps {
  series: readonly SeriesData[];
  unit: Unit;
  startMs: number;
  endMs: number;
  heightPx?: number;
  /** Fix the y axis (e.g. 0–1 for ratios) instead of fitting the data. */
  yDomain?: [number, number | 'auto'];
}

/** Lines over time with unit-aware axes and tooltip, legend toggles and the page's shared crosshair. */
export function TimeSeriesChart({ series, unit, startMs, endMs, heightPx = 220, yDomain }: TimeSeriesChartProps): ReactNode {
  const { hidden, toggle } = useHiddenSeries();
  const rows = toRows(series);
  const rangeMs = endMs - startMs;
  return (
    <div className="chart" data-testid="chart-time-series" data-series-count={series.length}>
      <ResponsiveContainer width="100%" height={heightPx}>
        <LineChart data={rows} syncId={pageSyncId} syncMethod="value" margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={[startMs, endMs]} tickFormatter={tickFormatter(rangeMs)} minTickGap={40} stroke="var(--border)" />
          <YAxis tickFormatter={valueTickFormatter(unit)} width={68} stroke="var(--border)" domain={yDomain ?? ['auto', 'auto']} allowDataOverflow={false} />
          <Tooltip content={<ChartTooltip unit={unit} />} cursor={{ stroke: 'var(--muted)', strokeDasharray: '3 3' }} isAnimationActive={false} />
          {series.map((s, i) => (
            <Line
              key={s.key}
              dataKey={`s${i}`}
              name={s.name}
              stroke={colorOf(i)}
              strokeWidth={1.6}
              dot={false}
              hide={hidden.has(s.key)}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
      <Legend series={series} hidden={hidden} toggle={toggle} unit={unit} />
    </div>
  );
}
