'use client';

import type { ReactNode } from 'react';
import { StatTile } from '@/components/charts/chart-stat';
import { useRangePanel } from '@/components/panels/range-panel';
import { nowValue, useNowPanel } from '@/components/panels/use-now-panel';
import { formatClock, formatValue } from '@/lib/format';
import type { NowPanelResponse } from '@/server/metrics/types';
import { overviewPoints, type OverviewKpi } from './overview-kpis';

function subtitle(answer: NowPanelResponse | undefined): string | undefined {
  if (!answer) return undefined;
  if (answer.status === 'missing') return `needs ${answer.needed[0]}`;
  if (answer.status === 'unavailable') return answer.error;
  return answer.source.description;
}

/** One KPI: the fleet figure now (an instant query), a sparkline of the range, the source on hover, a link to its page. */
export function KpiTile({
  kpi,
  query,
  firingNow,
}: {
  kpi: OverviewKpi;
  query: string;
  firingNow?: number | null;
}): ReactNode {
  const { answer } = useNowPanel(kpi.panel);
  const range = useRangePanel(kpi.panel, overviewPoints).answer;
  const spark = range?.status === 'ok' ? range.series.find((s) => s.queryId === 'total') : undefined;
  const now =
    kpi.panel === 'overview.alerts' && firingNow !== undefined && firingNow !== null
      ? firingNow
      : (nowValue(answer, 'total') ?? null);
  let value: string;
  if (!answer) value = '…';
  else if (answer.status === 'missing') value = 'no exporter';
  else if (answer.status === 'unavailable') value = 'no data';
  else value = formatValue(now, kpi.unit);
  const sub = subtitle(answer);
  const when = answer?.status === 'ok' ? `Now (${formatClock(answer.timeMs)} UTC); the line: the selected range. ` : '';
  return (
    <StatTile
      testId={kpi.testId}
      label={kpi.label}
      value={value}
      quiet={answer?.status === 'missing' || answer?.status === 'unavailable'}
      sub={answer?.status === 'ok' ? (answer.source.label ?? answer.source.metrics.join(' + ')) : sub}
      title={`${when}${sub ?? ''}`}
      spark={spark}
      href={`${kpi.href}${query}`}
      stale={answer?.status === 'ok' && answer.stale !== null}
      tone={kpi.panel === 'overview.alerts' && now !== null && now > 0 ? 'bad' : 'neutral'}
    />
  );
}
