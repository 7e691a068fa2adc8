'use client';

import type { ReactNode } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Unit } from '@/lib/format';
import type { SeriesData } from '@/server/metrics/types';
import {
  ChartTooltip,
  colorOf,
  Legend,
  pageSyncId,
  tickFormatter,
  toRows,
  useHiddenSeries,
  valueTickFormatter,
} from './chart-parts';

/** Parts of a whole over time (e.g. busy GPUs per workload), stacked, with legend toggles. */
export function StackedAreaChart({
  series,
  unit,
  startMs,
  endMs,
  heightPx = 240,
}: {
  series: readonly SeriesData[];
  unit: Unit;
  startMs: number;
  endMs: number;
  heightPx?: number;
}): ReactNode {
  const { hidden, toggle } = useHiddenSeries();
  const rows = toRows(series);
  const rangeMs = endMs - startMs;
  return (
    <div className="chart" data-testid="chart-stacked-area" data-series-count={series.length}>
      <ResponsiveContainer width="100%" height={heightPx}>
        <AreaChart data={rows} syncId={pageSyncId} syncMethod="value" margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[startMs, endMs]}
            tickFormatter={tickFormatter(rangeMs)}
            minTickGap={40}
            stroke="var(--border)"
          />
          <YAxis tickFormatter={valueTickFormatter(unit)} width={68} stroke="var(--border)" />
          <Tooltip
            content={<ChartTooltip unit={unit} />}
            cursor={{ stroke: 'var(--muted)', strokeDasharray: '3 3' }}
            isAnimationActive={false}
          />
          {series.map((s, i) => (
            <Area
              key={s.key}
              dataKey={`s${i}`}
              name={s.name}
              stackId="stack"
              stroke={colorOf(i)}
              fill={colorOf(i)}
              fillOpacity={0.55}
              strokeWidth={1}
              hide={hidden.has(s.key)}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
      <Legend series={series} hidden={hidden} toggle={toggle} unit={unit} />
    </div>
  );
}
