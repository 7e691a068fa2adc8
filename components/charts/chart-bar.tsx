'use client';

import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatValue, type Unit } from '@/lib/format';

export interface BarDatum {
  label: string;
  value: number;
  /** Secondary line in the tooltip. */
  detail?: string;
  tone?: 'bad' | 'warn' | 'neutral';
}

const toneColor = { bad: 'var(--bad)', warn: '#f59e0b', neutral: 'var(--series-1)' } as const;

const labelWidthPx = 200;
const labelFontPx = 11.5;
/** Characters that fit the label column, at a generous average glyph width for the UI fonts. */
const labelChars = Math.floor((labelWidthPx - 14) / (labelFontPx * 0.62));

/** Long names lose their middle, keeping namespace and workload ends; the whole name is the title. */
export function fitLabel(label: string, maxChars: number = labelChars): string {
  if (label.length <= maxChars) return label;
  const tail = Math.ceil((maxChars - 1) / 2);
  return `${label.slice(0, maxChars - 1 - tail)}…${label.slice(label.length - tail)}`;
}

function LabelTick({
  x,
  y,
  payload,
}: {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
}): ReactNode {
  const label = String(payload?.value ?? '');
  return (
    <text x={Number(x)} y={Number(y)} dy={4} textAnchor="end" fontSize={labelFontPx} fill="var(--text)">
      <title>{label}</title>
      {fitLabel(label)}
    </text>
  );
}

/** Horizontal bars, largest first (rankings such as idle GPU-hours per workload). */
export function BarChartHorizontal({
  data,
  unit,
  heightPx,
}: {
  data: readonly BarDatum[];
  unit: Unit;
  heightPx?: number;
}): ReactNode {
  const height = heightPx ?? Math.max(120, data.length * 28 + 30);
  return (
    <div className="chart" data-testid="chart-bar">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={[...data]} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="var(--grid)" horizontal={false} />
          <XAxis type="number" tickFormatter={(v: number) => formatValue(v, unit)} stroke="var(--border)" />
          <YAxis type="category" dataKey="label" width={labelWidthPx} tick={LabelTick} stroke="var(--border)" />
          <Tooltip
            cursor={{ fill: 'var(--surface-2)' }}
            isAnimationActive={false}
            content={({ active, payload }) => {
              const datum = payload?.[0]?.payload as BarDatum | undefined;
              if (!active || !datum) return null;
              return (
                <div className="chart-tooltip">
                  <div className="chart-tooltip-time">{datum.label}</div>
                  <div className="chart-tooltip-row">
                    <span>{formatValue(datum.value, unit)}</span>
                  </div>
                  {datum.detail ? <div className="muted">{datum.detail}</div> : null}
                </div>
              );
            }}
          />
          <Bar dataKey="value" isAnimationActive={false} radius={[0, 3, 3, 0]}>
            {data.map((d) => (
              <Cell key={d.label} fill={toneColor[d.tone ?? 'neutral']} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
