import type { ReactNode } from 'react';
import { formatPercent } from '@/lib/format';

/** A 0–1 ratio as a bar and a percentage; red under 10 %, amber under 40 %. */
export function Meter({ ratio }: { ratio: number | null }): ReactNode {
  if (ratio === null) return <span className="muted">–</span>;
  const tone = ratio < 0.1 ? 'low' : ratio < 0.4 ? 'mid' : 'high';
  return (
    <span className="meter">
      <span className="meter-track">
        <span className={`meter-fill ${tone}`} style={{ width: `${Math.min(100, Math.max(0, ratio * 100))}%` }} />
      </span>
      <span className="num">{formatPercent(ratio * 100)}</span>
    </span>
  );
}
