'use client';

import type { ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Unit } from '@/lib/format';
import type { ChartAnnotation } from '@/server/audit/annotation-types';
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

export interface TimeSeriesChartProps {
  series: readonly SeriesData[];
  unit: Unit;
  startMs: number;
  endMs: number;
  heightPx?: number;
  /** Fix the y axis (e.g. 0–1 for ratios) instead of fitting the data. */
  yDomain?: [number, number | 'auto'];
  /** Actions taken on what the chart shows: a vertical line each, details on hover. */
  annotations?: readonly ChartAnnotation[];
}

const annotationColors: Record<ChartAnnotation['result'], string> = {
  succeeded: 'var(--accent)',
  allowed: 'var(--accent)',
  failed: 'var(--bad)',
  denied: 'var(--warn)',
};

function annotationText(a: ChartAnnotation): string {
  const status = a.statusCode === null ? '' : ` (${a.statusCode})`;
  return `${new Date(a.atMs).toISOString().slice(0, 19).replace('T', ' ')} UTC\n${a.actor} (${a.role}): ${a.verb}${a.parameters ? ` ${a.parameters}` : ''}\n${a.result}${status}`;
}

/** The marker's hover target and tooltip: a full-height strip around the line, a flag at the top. */
function AnnotationMarker({
  annotation,
  viewBox,
}: {
  annotation: ChartAnnotation;
  viewBox?: { x?: number; y?: number; height?: number };
}): ReactNode {
  const x = viewBox?.x ?? 0;
  const y = viewBox?.y ?? 0;
  const text = annotationText(annotation);
  return (
    <g
      data-testid="chart-annotation"
      data-verb={annotation.verb}
      data-result={annotation.result}
      aria-label={text.replace(/\n/g, ' · ')}
      role="img"
    >
      <title>{text}</title>
      <rect x={x - 5} y={y} width={10} height={viewBox?.height ?? 0} fill="transparent" />
      <path d={`M${x},${y} l6,0 l-6,7 z`} fill={annotationColors[annotation.result]} />
    </g>
  );
}

/** Lines over time with unit-aware axes and tooltip, legend toggles and the page's shared crosshair. */
export function TimeSeriesChart({
  series,
  unit,
  startMs,
  endMs,
  heightPx = 220,
  yDomain,
  annotations = [],
}: TimeSeriesChartProps): ReactNode {
  const { hidden, toggle } = useHiddenSeries();
  const rows = toRows(series);
  const rangeMs = endMs - startMs;
  return (
    <div className="chart" data-testid="chart-time-series" data-series-count={series.length}>
      <ResponsiveContainer width="100%" height={heightPx}>
        <LineChart data={rows} syncId={pageSyncId} syncMethod="value" margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
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
          <YAxis
            tickFormatter={valueTickFormatter(unit)}
            width={68}
            stroke="var(--border)"
            domain={yDomain ?? ['auto', 'auto']}
            allowDataOverflow={false}
          />
          <Tooltip
            content={<ChartTooltip unit={unit} />}
            cursor={{ stroke: 'var(--muted)', strokeDasharray: '3 3' }}
            isAnimationActive={false}
          />
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
          {annotations
            .filter((a) => a.atMs >= startMs && a.atMs <= endMs)
            .map((a) => (
              <ReferenceLine
                key={a.id}
                x={a.atMs}
                stroke={annotationColors[a.result]}
                strokeDasharray="4 3"
                ifOverflow="discard"
                label={(props: { viewBox?: { x?: number; y?: number; height?: number } }) => (
                  <AnnotationMarker annotation={a} viewBox={props.viewBox} />
                )}
              />
            ))}
        </LineChart>
      </ResponsiveContainer>
      <Legend series={series} hidden={hidden} toggle={toggle} unit={unit} />
    </div>
  );
}
