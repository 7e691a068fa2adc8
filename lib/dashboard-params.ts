// The dashboard's shared state as the URL carries it, read the same on the server (a page's
// prefetch) and in the browser (lib/url-state.ts): the query keys of both must be equal.
import {
  defaultRefresh,
  defaultTimeRange,
  refreshIntervals,
  type RefreshInterval,
  type TimeRangeInput,
} from './time-range';

export const ALL_CLUSTERS = 'all';

export interface DashboardParams {
  range: TimeRangeInput;
  refresh: RefreshInterval;
  cluster: string;
}

export function readDashboardParams(params: URLSearchParams): DashboardParams {
  const refresh = params.get('refresh');
  return {
    range: { from: params.get('from') ?? defaultTimeRange.from, to: params.get('to') ?? defaultTimeRange.to },
    refresh: (refreshIntervals as readonly string[]).includes(refresh ?? '')
      ? (refresh as RefreshInterval)
      : defaultRefresh,
    cluster: params.get('cluster') ?? ALL_CLUSTERS,
  };
}

/** A server page's searchParams as URLSearchParams (a repeated key counts once, as the browser's get() reads it). */
export function searchParamsOf(record: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) params.set(key, first);
  }
  return params;
}

/** The input of a range panel's query (metrics.panel), built one way for the server and the browser. */
export function rangePanelInput(
  panel: string,
  params: Pick<DashboardParams, 'cluster' | 'range'>,
  pointsWanted: number,
): { panel: string; cluster: string; range: TimeRangeInput; pointsWanted: number } {
  return { panel, cluster: params.cluster, range: { from: params.range.from, to: params.range.to }, pointsWanted };
}
