'use client';

import type { ReactNode } from 'react';
import { lastValue } from '@/components/charts/chart-parts';
import { StatTile } from '@/components/charts/chart-stat';
import { useRangePanel } from '@/components/panels/range-panel';
import { formatValue } from '@/lib/format';
import type { RangePanelResponse } from '@/server/metrics/types';
import { overviewPoints, type OverviewKpi } from './overview-kpis';

function subtitle(answer: RangePanelResponse | undefined): string | undefined {
  if (!answer) return undefined;
  if (answer.status === 'missing') return `needs ${answer.needed[0]}`;
  if (answer.status === 'unavailable') return answer.error;
  return answer.source.description;
}

/** One KPI: the fleet figure now, a sparkline of the range, the source on hover, a link to its page. */
export function KpiTile({ kpi, query, firingNow }: { kpi: OverviewKpi; query: string; firingNow?: number | null }): ReactNode {
  const { answer } = useRangePanel(kpi.panel, overviewPoints);
  const total = answer?.status === 'ok' ? answer.series.find((s) => s.queryId === 'total') : undefined;
  const now = kpi.panel === 'overview.alerts' && firingNow !== undefined && firingNow !== null ? firingNow : total ? lastValue(total) : null;
  let value: string;
  if (!answer) value = '…';
  else if (answer.status === 'missing') value = 'no exporter';
  else if (answer.status === 'unavailable') value = 'no data';
  else value = formatValue(now, kpi.unit);
  const sub = subtitle(answer);
  return (
    <StatTile
      testId={kpi.testId}
      label={kpi.label}
      value={value}
      quiet={answer?.status === 'missing' || answer?.status === 'unavailable'}
      sub={answer?.status === 'ok' ? (answer.source.label ?? answer.source.metrics.join(' + ')) : sub}
      title={sub}
      spark={total}
      href={`${kpi.href}${query}`}
      stale={answer?.status === 'ok' && answer.stale !== null}
      tone={kpi.panel === 'overview.alerts' && now !== null && now > 0 ? 'bad' : 'neutral'}
    />
  );
}
