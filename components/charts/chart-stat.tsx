'use client';

import '@/components/panels/panel-styles';
import Link from 'next/link';
import type { ReactNode } from 'react';

/** A sparkline as one SVG path: cheap enough for dozens on a page. Gaps (null) break the line. */
export function Sparkline({
  t,
  v,
  color = 'var(--series-1)',
  heightPx = 34,
}: {
  t: readonly number[];
  v: readonly (number | null)[];
  color?: string;
  heightPx?: number;
}): ReactNode {
  const values = v.filter((x): x is number => x !== null);
  // Width 100 % also when empty: an SVG without a width is 300 px and pushed a tile past the window.
  if (values.length < 2) return <svg className="spark" width="100%" height={heightPx} aria-hidden="true" />;
  const minT = t[0]!;
  const spanT = Math.max(1, t[t.length - 1]! - minT);
  const minV = Math.min(...values);
  const spanV = Math.max(1e-9, Math.max(...values) - minV);
  let path = '';
  let pen = false;
  t.forEach((time, i) => {
    const value = v[i];
    if (value === null || value === undefined) {
      pen = false;
      return;
    }
    const x = ((time - minT) / spanT) * 100;
    const y = 95 - ((value - minV) / spanV) * 90;
    path += `${pen ? 'L' : 'M'}${x.toFixed(2)},${y.toFixed(2)}`;
    pen = true;
  });
  return (
    <svg
      className="spark"
      viewBox="0 0 100 100"
      preserveAspectRatio="none"
      width="100%"
      height={heightPx}
      aria-hidden="true"
    >
      <path d={path} fill="none" stroke={color} strokeWidth={2} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

export interface StatProps {
  label: string;
  /** Already formatted with its unit. */
  value: string;
  sub?: ReactNode;
  spark?: { t: readonly number[]; v: readonly (number | null)[] };
  href?: string;
  stale?: boolean;
  tone?: 'bad' | 'neutral';
  testId?: string;
  title?: string;
  /** A value that is a statement ("not available yet") rather than a figure. */
  quiet?: boolean;
  children?: ReactNode;
}

/** A KPI tile: big number, a line of context, a sparkline; links to the page that explains it. */
export function StatTile({
  label,
  value,
  sub,
  spark,
  href,
  stale,
  tone,
  testId,
  title,
  quiet,
  children,
}: StatProps): ReactNode {
  const body = (
    <>
      <span className="kpi-label">
        <span>{label}</span>
        {stale ? (
          <span className="stale-dot" title="Stale: Prometheus is not answering">
            stale
          </span>
        ) : null}
      </span>
      <span className={`kpi-value${quiet ? ' quiet' : ''}`} data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </span>
      <span className="kpi-sub" title={typeof sub === 'string' ? sub : undefined}>
        {sub}
      </span>
      {children}
      {spark ? (
        <div className="kpi-spark">
          <Sparkline t={spark.t} v={spark.v} />
        </div>
      ) : null}
    </>
  );
  const className = `kpi${stale ? ' stale' : ''}${tone === 'bad' ? ' bad' : ''}`;
  return href ? (
    <Link href={href} className={className} data-testid={testId} title={title}>
      {body}
    </Link>
  ) : (
    <div className={className} data-testid={testId} title={title}>
      {body}
    </div>
  );
}
